/**
 * A Redis lease lock with fencing tokens, for "only one process runs this job at a time".
 *
 * - acquire: `SET key <random owner> NX PX ttl`, and on success `INCR` a per-lock counter: the fencing
 *   token, strictly increasing across every holder on every host.
 * - While held, the lease is renewed every ttl/3 (compare-and-PEXPIRE in Lua: only the owner renews).
 *   A failed renewal aborts `lease.signal`, so the holder stops between rounds.
 * - release: compare-and-DEL in Lua, so a holder whose lease already expired cannot delete its
 *   successor's lock.
 * - A holder that dies simply stops renewing: the key expires after ttl and the next acquirer gets a
 *   higher token. A holder that was merely paused past its ttl is stopped by the fence check the
 *   database does on every write (`checkFence`).
 */
import { jobLockFenceKey, jobLockKey } from '@f1/core/job-lock';
import type { Redis } from '@f1/core/redis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface Lease {
  name: string;
  /** The fencing token: higher than any earlier holder's. */
  token: number;
  /** Aborted when the lease is lost (renewal failed) or released. */
  signal: AbortSignal;
  release(): Promise<boolean>;
}

export class RedisLock {
  constructor(
    private readonly redis: Redis,
    readonly name: string,
    private readonly ttlMs: number,
  ) {}

  private get key() {
    return jobLockKey(this.name);
  }

  /**
   * The lease, or null when another process holds the lock. `minToken` lifts the token counter when it
   * lags the fence the database has seen (a lost Redis, a run without Redis): tokens must only grow.
   */
  async acquire(options: { minToken?: number } = {}): Promise<Lease | null> {
    const owner = crypto.randomUUID();
    const ok = await this.redis.set(this.key, owner, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;
    const counter = jobLockFenceKey(this.name);
    let token = await this.redis.incr(counter);
    if (options.minToken !== undefined && token < options.minToken) {
      token = options.minToken;
      await this.redis.set(counter, String(token)); // safe: we hold the lock
    }
    const controller = new AbortController();
    const renew = setInterval(
      async () => {
        try {
          const renewed = await this.redis.eval(RENEW, 1, this.key, owner, String(this.ttlMs));
          if (renewed !== 1) controller.abort(new Error(`lock "${this.name}" lost (expired)`));
        } catch (error) {
          controller.abort(error);
        }
        if (controller.signal.aborted) clearInterval(renew);
      },
      Math.max(Math.floor(this.ttlMs / 3), 10),
    );
    return {
      name: this.name,
      token,
      signal: controller.signal,
      release: async () => {
        clearInterval(renew);
        if (!controller.signal.aborted) controller.abort(new Error(`lock "${this.name}" released`));
        try {
          return (await this.redis.eval(RELEASE, 1, this.key, owner)) === 1;
        } catch {
          return false; // it expires on its own
        }
      },
    };
  }

  /** Who holds the lock (the owner id), or null. */
  holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
