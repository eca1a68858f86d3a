/**
 * The Redis keys of a job lock (jobs/src/scheduler/redis-lock.ts takes and renews it), here so the
 * server can report who holds the scheduler's lock without importing jobs.
 */

/** The lease: `SET key <owner> NX PX ttl`, present while a holder has it. */
export const jobLockKey = (name: string): string => `f1:lock:${name}`;

/** The fencing-token counter: the token of the latest holder. */
export const jobLockFenceKey = (name: string): string => `f1:lock-fence:${name}`;
