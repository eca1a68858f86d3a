import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import { type Redis, waitForRedis } from '@f1/core/redis';
import { testConfig } from '@f1/testkit/config';
import { testRedisUrl } from '@f1/testkit/redis';
import { testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { createServerRedis } from '../redis.ts';
import {
  applyRateLimitHeaders,
  type RateLimiter,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
  rateLimitHeaders,
  rateLimitSubject,
} from './limiter.ts';
import { MemoryRateLimiter } from './memory-limiter.ts';
import { rateLimitPolicies } from './policies.ts';
import { RedisRateLimiter } from './redis-limiter.ts';

const policy = (limit: number, windowSeconds = 60, failMode: 'open' | 'closed' = 'open') =>
  ({
    name: `t${limit}-${crypto.randomUUID().slice(0, 6)}`,
    limit,
    windowSeconds,
    failMode,
  }) satisfies RateLimitPolicy;

function limiterContract(name: string, make: () => RateLimiter) {
  describe(`${name} limiter`, () => {
    test('counts down, then refuses with Retry-After, per key', async () => {
      const limiter = make();
      const p = policy(3, 60);
      const results: RateLimitResult[] = [];
      for (let i = 0; i < 5; i++) results.push(await limiter.check('user:1', p));
      expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
        [false, 0],
      ]);
      const refused = results[3];
      expect(refused?.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(results[0]?.retryAfterSeconds).toBe(0);
      // Another subject has its own bucket; so does another policy.
      expect((await limiter.check('user:2', p)).remaining).toBe(2);
      expect((await limiter.check('user:1', policy(3))).remaining).toBe(2);
    });

    test('1,000 concurrent requests against a limit of 100 admit exactly 100', async () => {
      const limiter = make();
      const p = policy(100, 60);
      const results = await Promise.all(
        Array.from({ length: 1_000 }, () => limiter.check('ip:203.0.113.1', p)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(100);
      // Every admitted request saw a distinct remaining count: no two read the same state.
      const remaining = results.filter((r) => r.allowed).map((r) => r.remaining);
      expect(new Set(remaining).size).toBe(100);
    });

    test('honouring Retry-After gets the next request in', async () => {
      const limiter = make();
      const p = policy(2, 1);
      await limiter.check('k', p);
      await limiter.check('k', p);
      const refused = await limiter.check('k', p);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBe(1);
      await Bun.sleep(refused.retryAfterSeconds * 1000 + 20);
      expect((await limiter.check('k', p)).allowed).toBe(true);
    });
  });
}

limiterContract('memory', () => new MemoryRateLimiter());

test('memory limiter: the window slides (old requests leave it one by one)', async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter(() => now);
  const p = policy(2, 10);
  expect((await limiter.check('k', p)).allowed).toBe(true); // t=0
  now = 4_000;
  expect((await limiter.check('k', p)).allowed).toBe(true); // t=4
  now = 9_000;
  const refused = await limiter.check('k', p);
  expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1, resetSeconds: 1 });
  now = 10_000; // the t=0 request has left the window; the t=4 one has not
  expect(await limiter.check('k', p)).toMatchObject({ allowed: true, remaining: 0 });
  expect((await limiter.check('k', p)).allowed).toBe(false);
});

test('memory limiter forgets idle buckets', async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter(() => now);
  const p = policy(1_000_000, 1);
  for (let i = 0; i < 10_000; i++) await limiter.check(`ip:${i}`, p);
  now = 5_000;
  // The 10,000th check sweeps; only the bucket just touched survives.
  for (let i = 0; i < 10_000; i++) await limiter.check('ip:same', p);
  const buckets = (limiter as unknown as { buckets: Map<string, unknown> }).buckets;
  expect(buckets.size).toBe(1);
});

describeWithRedis('redis', () => {
  let redis: Redis & { prefix: string };
  let second: Redis & { prefix: string };
  beforeAll(async () => {
    redis = await testServerRedis();
    second = await testServerRedis();
  });
  afterAll(() => {
    redis.disconnect();
    second.disconnect();
  });
  limiterContract('redis', () => new RedisRateLimiter(redis, silentLogger));

  test('exact across connections too (several server processes share one Redis)', async () => {
    // Four connections with the same key prefix stand in for four server processes.
    const conns = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = createServerRedis(testRedisUrl() ?? '', { keyPrefix: redis.prefix });
        await waitForRedis(c);
        return c;
      }),
    );
    try {
      const limiters = conns.map((c) => new RedisRateLimiter(c, silentLogger));
      const p = policy(100, 60);
      const results = await Promise.all(
        Array.from({ length: 1_000 }, (_, i) => limiters[i % 4]?.check('user:9', p)),
      );
      expect(results.filter((r) => r?.allowed)).toHaveLength(100);
    } finally {
      for (const c of conns) c.disconnect();
    }
  });

  test('concurrent checks of one bucket are coalesced into a few script calls, still exact', async () => {
    const limiter = new RedisRateLimiter(redis, silentLogger);
    const p = policy(2_000, 60);
    const calls = async () => {
      const stats = await redis.info('commandstats');
      return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    const before = await calls();
    const results = await Promise.all(
      Array.from({ length: 2_500 }, () => limiter.check('ip:198.51.100.7', p)),
    );
    const spent = (await calls()) - before;
    expect(results.filter((r) => r.allowed)).toHaveLength(2_000);
    // The first check goes alone; the rest wait for it and follow in batches of at most 1,000.
    // (Other test files may run scripts meanwhile: bound it well below one call per check.)
    expect(spent).toBeLessThan(50);
    const admitted = results.filter((r) => r.allowed).map((r) => r.remaining);
    expect(new Set(admitted).size).toBe(2_000);
    expect(Math.min(...admitted)).toBe(0);
    expect(results.at(-1)).toMatchObject({ allowed: false, remaining: 0 });
    expect(await redis.zcard(`rl:${p.name}:ip:198.51.100.7`)).toBe(2_000);
  });

  test('the bucket key expires with its window', async () => {
    const limiter = new RedisRateLimiter(redis, silentLogger);
    const p = policy(5, 30);
    await limiter.check('user:5', p);
    const ttl = await redis.pttl(`rl:${p.name}:user:5`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});

describe('Redis down', () => {
  test('fails open for open policies (no headers), closed for closed ones', async () => {
    const redis = createServerRedis('redis://127.0.0.1:1');
    redis.on('error', () => {});
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => void lines.push(m) };
    try {
      const limiter = new RedisRateLimiter(redis, logger);
      const open = await limiter.check('ip:1', policy(1, 60, 'open'));
      expect(open).toMatchObject({ allowed: true, degraded: true });
      expect(rateLimitHeaders(open)).toEqual({});
      await limiter.check('ip:1', policy(1, 60, 'open'));
      expect(limiter.check('ip:1', policy(1, 60, 'closed'))).rejects.toBeInstanceOf(
        RateLimitUnavailableError,
      );
      // One warning, not one per request.
      expect(lines).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});

describe('headers and keys', () => {
  const result = (over: Partial<RateLimitResult>): RateLimitResult => ({
    allowed: true,
    limit: 100,
    remaining: 50,
    resetSeconds: 30,
    retryAfterSeconds: 0,
    windowSeconds: 60,
    ...over,
  });

  test('a refusal carries Retry-After; an admission does not', () => {
    expect(rateLimitHeaders(result({}))).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '50',
      'RateLimit-Reset': '30',
      'RateLimit-Policy': '100;w=60',
    });
    expect(
      rateLimitHeaders(result({ allowed: false, remaining: 0, retryAfterSeconds: 12 }))[
        'Retry-After'
      ],
    ).toBe('12');
  });

  test('the most constraining result wins when several share a response', () => {
    const headers = new Headers();
    applyRateLimitHeaders(headers, result({ remaining: 40 }));
    applyRateLimitHeaders(headers, result({ remaining: 70 }));
    expect(headers.get('RateLimit-Remaining')).toBe('40');
    applyRateLimitHeaders(headers, result({ remaining: 3 }));
    expect(headers.get('RateLimit-Remaining')).toBe('3');
    applyRateLimitHeaders(headers, result({ allowed: false, remaining: 0, retryAfterSeconds: 9 }));
    applyRateLimitHeaders(headers, result({ remaining: 1 }));
    expect(headers.get('Retry-After')).toBe('9');
    expect(headers.get('RateLimit-Remaining')).toBe('0');
    applyRateLimitHeaders(headers, result({ degraded: true, remaining: 100 }));
    expect(headers.get('RateLimit-Remaining')).toBe('0');
  });

  test('subjects: user, API key, or client IP', () => {
    expect(rateLimitSubject({ kind: 'user', id: 4, role: 'user', sessionId: 's' }, '1.2.3.4')).toBe(
      'user:4',
    );
    expect(rateLimitSubject({ kind: 'api_key', id: 2, role: 'ml_service' }, null)).toBe('key:2');
    expect(rateLimitSubject(null, '1.2.3.4')).toBe('ip:1.2.3.4');
    expect(rateLimitSubject(null, null)).toBe('ip:unknown');
  });

  test('policies follow F1_RATE_LIMIT_* and accept overrides', () => {
    const config = testConfig({ F1_RATE_LIMIT_REQUESTS: '250', F1_RATE_LIMIT_WINDOW: '30' });
    const policies = rateLimitPolicies(config, { login: { limit: 3 } });
    expect(policies.default).toMatchObject({ limit: 250, windowSeconds: 30, failMode: 'open' });
    expect(policies.mlBatch.limit).toBeGreaterThan(policies.default.limit);
    expect(policies.login).toMatchObject({ limit: 3, failMode: 'closed' });
    expect(policies.loginAccount.failMode).toBe('closed');
    expect(policies.register.failMode).toBe('closed');
  });
});
