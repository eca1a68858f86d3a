/**
 * The Redis limiter: one sorted set per bucket (`rl:<policy>:<subject>`), members are admitted
 * requests scored by time. The Lua script trims the window, counts, and admits or refuses in one atomic
 * step, using Redis's own clock so several server processes share one notion of "now".
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import {
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
  toResult,
} from './limiter.ts';

/** Typed locally: a `declare module 'ioredis'` augmentation would leak into the SDK's router types. */
interface LimiterScripts {
  f1SlidingWindow(
    key: string,
    limit: number,
    windowMs: number,
    member: string,
  ): Promise<[number, number, number]>;
}

// Returns {allowed (1|0), remaining, ms until the oldest counted request leaves the window}.
const SLIDING_WINDOW = `
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = window - (now - tonumber(oldest[2])) end
return {allowed, limit - count, reset}`;

/** Log a Redis outage at most this often, not once per request. */
const WARN_INTERVAL_MS = 10_000;

const defined = new WeakSet<Redis>();

export class RedisRateLimiter implements RateLimiter {
  readonly backend = 'redis';
  private lastWarning = 0;
  private readonly scripts: LimiterScripts;

  constructor(
    redis: Redis,
    private readonly logger: Logger,
  ) {
    if (!defined.has(redis)) {
      redis.defineCommand('f1SlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
      defined.add(redis);
    }
    this.scripts = redis as unknown as LimiterScripts;
  }

  async check(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    try {
      const [allowed, remaining, resetMs] = await this.scripts.f1SlidingWindow(
        `rl:${policy.name}:${key}`,
        policy.limit,
        policy.windowSeconds * 1000,
        crypto.randomUUID(),
      );
      return toResult(policy, { allowed: allowed === 1, remaining, resetMs });
    } catch (error) {
      this.warn(policy, error);
      if (policy.failMode === 'closed') {
        throw new RateLimitUnavailableError('rate limiter unavailable', { cause: error });
      }
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
