/**
 * The Redis limiter: one sorted set per bucket (`rl:<policy>:<subject>`), members are admitted
 * requests scored by time. The Lua script trims the window, counts, and admits or refuses in one atomic
 * step, using Redis's own clock so several server processes share one notion of "now".
 *
 * Checks of one bucket are coalesced: while a script call for the bucket is in flight, further checks
 * queue, and the next call asks for all of them at once (admitting as many as the window has room for,
 * in arrival order). The count stays exact — N concurrent requests against a limit L still admit
 * min(N, L) — but a busy client costs one Redis call per round trip rather than one per request.
 */

import type { Logger } from '@f1/core/logger';
import type { CallersOf } from '@f1/core/redis-scripts';
import type { Redis } from 'ioredis';
import {
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
  toResult,
} from './limiter.ts';
import { LIMITER_SCRIPTS } from './sliding-window-script.ts';

/** Log a Redis outage at most this often, not once per request. */
const WARN_INTERVAL_MS = 10_000;

/** Lua's `unpack` is limited by the C stack (LUAI_MAXCSTACK, 8000): stay well below it. */
const MAX_BATCH = 1_000;

interface Waiter {
  resolve(result: RateLimitResult): void;
  reject(error: unknown): void;
}

interface Queue {
  policy: RateLimitPolicy;
  waiters: Waiter[];
}

export class RedisRateLimiter implements RateLimiter {
  readonly backend = 'redis';
  private lastWarning = 0;
  private readonly scripts: CallersOf<typeof LIMITER_SCRIPTS>;
  /** Buckets with a script call in flight. */
  private readonly inflight = new Set<string>();
  /** Checks waiting for the next call, per bucket. */
  private readonly queued = new Map<string, Queue>();

  constructor(
    redis: Redis,
    private readonly logger: Logger,
  ) {
    this.scripts = LIMITER_SCRIPTS.on(redis);
  }

  check(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    const bucket = `rl:${policy.name}:${key}`;
    return new Promise((resolve, reject) => {
      let queue = this.queued.get(bucket);
      if (!queue) {
        queue = { policy, waiters: [] };
        this.queued.set(bucket, queue);
      }
      queue.waiters.push({ resolve, reject });
      if (!this.inflight.has(bucket)) void this.flush(bucket);
    });
  }

  /** Sends one call for the bucket's queued checks, then the next batch if more queued meanwhile. */
  private async flush(bucket: string): Promise<void> {
    const queue = this.queued.get(bucket);
    if (!queue) return;
    const { policy } = queue;
    const waiters = queue.waiters.splice(0, MAX_BATCH);
    if (queue.waiters.length === 0) this.queued.delete(bucket);
    this.inflight.add(bucket);
    try {
      const [admitted, remaining, resetMs] = await this.scripts.f1SlidingWindow(
        bucket,
        policy.limit,
        policy.windowSeconds * 1000,
        waiters.length,
        `${crypto.randomUUID()}:`,
      );
      // In arrival order: the first `admitted` get in, each seeing the count as of its own admission.
      waiters.forEach((waiter, i) => {
        const allowed = i < admitted;
        waiter.resolve(
          toResult(policy, {
            allowed,
            remaining: allowed ? remaining + (admitted - 1 - i) : Math.max(0, remaining),
            resetMs,
          }),
        );
      });
    } catch (error) {
      for (const waiter of waiters) {
        if (policy.failMode === 'closed') {
          waiter.reject(
            new RateLimitUnavailableError('rate limiter unavailable', { cause: error }),
          );
        } else {
          waiter.resolve(failedOpen(policy));
        }
      }
      // After settling: a failing logger must not leave the batch pending.
      this.warn(policy, error);
    } finally {
      this.inflight.delete(bucket);
      if (this.queued.has(bucket)) void this.flush(bucket);
    }
  }

  private warn(policy: RateLimitPolicy, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_INTERVAL_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      `rate limiter: Redis unavailable; failing ${policy.failMode} for ${policy.name} and similar policies`,
      { error: error instanceof Error ? error.message : String(error) },
    );
  }
}

/** Admitted without a count (the store is down and the policy fails open). */
function failedOpen(policy: RateLimitPolicy): RateLimitResult {
  return {
    allowed: true,
    limit: policy.limit,
    remaining: policy.limit,
    resetSeconds: policy.windowSeconds,
    retryAfterSeconds: 0,
    windowSeconds: policy.windowSeconds,
    degraded: true,
  };
}
