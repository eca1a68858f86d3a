import { expect, test } from 'bun:test';
import { InvalidationBus } from '@f1/core/changes/invalidation';
import { silentLogger } from '@f1/core/logger';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase } from '@f1/testkit/postgres';
import { CacheServices } from '../cache/cache-services.ts';
import {
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
  toResult,
} from '../rate-limit/limiter.ts';
import { CountingRateLimiter } from './counting-limiter.ts';
import { ServerMetrics } from './server-metrics.ts';
import { parseMetrics, sampleValue } from './testing.ts';

const policy = (name: string, failMode: 'open' | 'closed'): RateLimitPolicy => ({
  name,
  limit: 1,
  windowSeconds: 60,
  failMode,
});

/** A limiter whose store is down: fail-open policies are admitted uncounted, fail-closed ones throw. */
class DownLimiter implements RateLimiter {
  readonly backend = 'redis';
  async check(_key: string, p: RateLimitPolicy): Promise<RateLimitResult> {
    if (p.failMode === 'closed') throw new RateLimitUnavailableError('rate limiter unavailable');
    return { ...toResult(p, { allowed: true, remaining: 1, resetMs: 60_000 }), degraded: true };
  }
}

test('a store failure counts a Redis error; failing closed also counts an "unavailable" refusal', async () => {
  const database = await freshDatabase('pglite');
  try {
    const config = testConfig();
    const bus = new InvalidationBus(null);
    const metrics = new ServerMetrics({
      database,
      redis: null,
      cache: new CacheServices(bus, silentLogger),
      lockName: config.jobs.lockName,
      logger: silentLogger,
    });
    const limiter = new CountingRateLimiter(new DownLimiter(), metrics);
    expect(limiter.backend).toBe('redis');
    expect((await limiter.check('ip:1', policy('anonymous', 'open'))).allowed).toBe(true);
    await expect(limiter.check('ip:1', policy('login-ip', 'closed'))).rejects.toBeInstanceOf(
      RateLimitUnavailableError,
    );
    const samples = parseMetrics((await metrics.scrape()).body);
    expect(sampleValue(samples, 'f1_redis_errors_total', { source: 'rate_limiter' })).toBe(2);
    expect(
      sampleValue(samples, 'f1_rate_limit_refusals_total', {
        policy: 'login-ip',
        reason: 'unavailable',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'f1_rate_limit_refusals_total', { policy: 'anonymous' }),
    ).toBeUndefined();
  } finally {
    await database.close();
  }
}, 60_000);

test('errors other than an unavailable store pass through uncounted', async () => {
  const database = await freshDatabase('pglite');
  try {
    const metrics = new ServerMetrics({
      database,
      redis: null,
      cache: new CacheServices(new InvalidationBus(null), silentLogger),
      lockName: 'ingest',
      logger: silentLogger,
    });
    const broken: RateLimiter = {
      backend: 'memory',
      check: () => Promise.reject(new Error('bug')),
    };
    await expect(
      new CountingRateLimiter(broken, metrics).check('k', policy('default', 'open')),
    ).rejects.toThrow('bug');
    const samples = parseMetrics((await metrics.scrape()).body);
    expect(samples.filter((s) => s.name === 'f1_rate_limit_refusals_total')).toEqual([]);
  } finally {
    await database.close();
  }
}, 60_000);
