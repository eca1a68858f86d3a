/**
 * A rate limiter that counts what the one it wraps did not admit, by policy: every entry point (the
 * tRPC middleware, admission, the response cache's gate, the Ergast facade) checks through
 * `services.rateLimiter`, so wrapping it counts them all in one place.
 */
import {
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
} from '../rate-limit/limiter.ts';
import type { ServerMetrics } from './server-metrics.ts';

export class CountingRateLimiter implements RateLimiter {
  readonly backend: RateLimiter['backend'];

  constructor(
    private readonly inner: RateLimiter,
    private readonly metrics: ServerMetrics,
  ) {
    this.backend = inner.backend;
  }

  check(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    return this.inner.check(key, policy).then(
      (result) => {
        if (!result.allowed) this.metrics.rateLimitRefused(policy.name, 'limit');
        // Admitted uncounted: the store failed and the policy fails open.
        else if (result.degraded) this.metrics.redisError('rate_limiter');
        return result;
      },
      (error: unknown) => {
        if (error instanceof RateLimitUnavailableError) {
          this.metrics.rateLimitRefused(policy.name, 'unavailable');
          this.metrics.redisError('rate_limiter');
        }
        throw error;
      },
    );
  }
}
