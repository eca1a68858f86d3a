/**
 * The request budgets through the app, in-process and on real Redis: principals get
 * F1_RATE_LIMIT_REQUESTS, anonymous callers F1_RATE_LIMIT_ANONYMOUS_REQUESTS per client IP, and in
 * development neither is below F1_RATE_LIMIT_DEVELOPMENT_REQUESTS — so a local dashboard's burst of
 * 120 requests passes, while production keeps the brief's 100 a minute.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { authServices } from '@f1/testkit/auth';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { issueApiKey } from '../auth/api-keys.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
}, 60_000);
afterAll(() => database.close());

/** A dashboard's page load: standings (tRPC once, then the response cache) and health, at once. */
const DASHBOARD = [trpcUrl('standings.drivers', { season: MINI_SEASON }), trpcUrl('health', {})];

function budgetTests(name: string, redisOf: () => Redis | null) {
  let run = 0;
  /** A client IP of its own for every test and backend (Redis counts outlive a test). */
  const ip = () => `10.${name === 'redis' ? 2 : 1}.${process.pid % 250}.${++run}`;
  const app = (env: Record<string, string>) => {
    const services = authServices({
      database,
      redis: redisOf(),
      env: { F1_TRUSTED_PROXIES: '1', ...env },
    });
    return { services, app: testApp(services) };
  };
  const burst = async (
    target: ReturnType<typeof testApp>,
    n: number,
    headers: Record<string, string>,
  ) => {
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        target.handle(new Request(DASHBOARD[i % DASHBOARD.length] ?? '', { headers })),
      ),
    );
    return responses;
  };
  const statuses = (responses: Response[]) => ({
    ok: responses.filter((r) => r.status === 200).length,
    refused: responses.filter((r) => r.status === 429).length,
  });

  describe(`${name}: request budgets`, () => {
    test('development: a 120-request dashboard burst passes, anonymous and with a key', async () => {
      const dev = app({ F1_ENVIRONMENT: 'development' });
      const anonymous = await burst(dev.app, 120, { 'x-forwarded-for': ip() });
      expect(statuses(anonymous)).toEqual({ ok: 120, refused: 0 });
      expect(anonymous.map((r) => r.headers.get('ratelimit-limit'))).toEqual(
        Array(120).fill('1000'),
      );
      const { key } = await issueApiKey(dev.services.db, {
        name: `dashboard ${name}`,
        role: 'ml_service',
        createdBy: null,
      });
      const keyed = await burst(dev.app, 120, { 'x-forwarded-for': ip(), 'x-api-key': key });
      expect(statuses(keyed)).toEqual({ ok: 120, refused: 0 });
    });

    test("production: the brief's 100 a minute, for anonymous callers and keys alike", async () => {
      const prod = app({ F1_ENVIRONMENT: 'production' });
      expect(prod.services.rateLimitPolicies.default).toMatchObject({
        limit: 100,
        windowSeconds: 60,
      });
      expect(prod.services.rateLimitPolicies.anonymous).toMatchObject({
        limit: 100,
        windowSeconds: 60,
      });
      const responses = await burst(prod.app, 120, { 'x-forwarded-for': ip() });
      expect(statuses(responses)).toEqual({ ok: 100, refused: 20 });
      const { key } = await issueApiKey(prod.services.db, {
        name: `prod ${name}`,
        role: 'ml_service',
        createdBy: null,
      });
      const keyed = await burst(prod.app, 120, { 'x-forwarded-for': ip(), 'x-api-key': key });
      expect(statuses(keyed)).toEqual({ ok: 100, refused: 20 });
    });

    test('the anonymous budget applies to anonymous callers (cached or not), the principal budget to keys', async () => {
      const { services, app: target } = app({
        F1_ENVIRONMENT: 'production',
        F1_RATE_LIMIT_REQUESTS: '5',
        F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '3',
      });
      const client = ip();
      const anonymous: Response[] = [];
      // One after another, so the standings answer is cached after the first: hits count too.
      for (let i = 0; i < 4; i++) {
        anonymous.push(
          await target.handle(
            new Request(DASHBOARD[0] ?? '', { headers: { 'x-forwarded-for': client } }),
          ),
        );
      }
      expect(anonymous.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(anonymous[0]?.headers.get('ratelimit-limit')).toBe('3');
      expect(anonymous[3]?.headers.get('ratelimit-policy')).toBe('3;w=60');
      // A key from the same IP has its own, larger budget.
      const { key } = await issueApiKey(services.db, {
        name: `budgets ${name}`,
        role: 'ml_service',
        createdBy: null,
      });
      const keyed: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await target.handle(
          new Request(DASHBOARD[1] ?? '', {
            headers: { 'x-forwarded-for': client, 'x-api-key': key },
          }),
        );
        keyed.push(res.status);
        if (i === 0) expect(res.headers.get('ratelimit-limit')).toBe('5');
      }
      expect(keyed).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });
}

budgetTests('in-process', () => null);
describeWithRedis('redis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => redis.disconnect());
  budgetTests('redis', () => redis);
});
