/**
 * The in-process limiter used when no Redis is configured: the same sliding-window log in a Map.
 * JavaScript runs one check at a time, so it is exact under concurrency within this process; counts
 * are per process, so with several server processes each allows the full limit (main.ts logs that).
 */
import {
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  toResult,
} from './limiter.ts';

/** Sweep empty buckets every this many checks, so idle keys do not accumulate forever. */
const SWEEP_EVERY = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly backend = 'memory';
  /** Admission times per bucket, oldest first. */
  private readonly buckets = new Map<string, { windowMs: number; hits: number[] }>();
  private checks = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async check(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    const now = this.now();
    const windowMs = policy.windowSeconds * 1000;
    const bucketKey = `${policy.name}:${key}`;
    const bucket = this.buckets.get(bucketKey) ?? { windowMs, hits: [] };
    const { hits } = bucket;
    while (hits.length && (hits[0] ?? 0) <= now - windowMs) hits.shift();
    const allowed = hits.length < policy.limit;
    if (allowed) hits.push(now);
    this.buckets.set(bucketKey, bucket);
    if (++this.checks % SWEEP_EVERY === 0) this.sweep(now);
    const oldest = hits[0] ?? now;
    return toResult(policy, {
      allowed,
      remaining: policy.limit - hits.length,
      resetMs: windowMs - (now - oldest),
    });
  }

  private sweep(now: number): void {
    for (const [key, { windowMs, hits }] of this.buckets) {
      if ((hits.at(-1) ?? 0) <= now - windowMs) this.buckets.delete(key);
    }
  }
}
