import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { authServices, bearer, TEST_PASSWORD, userWithToken } from '@f1/testkit/auth';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { testApp, testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { createServerRedis } from '../redis.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(testRedisUrl() ? 'postgres' : 'pglite').catch(() =>
    freshDatabase('pglite'),
  );
}, 60_000);
afterAll(() => database.close());

const from = (ip: string, headers: Record<string, string> = {}) => ({
  'x-forwarded-for': ip,
  ...headers,
});
const get = (app: ReturnType<typeof testApp>, path: string, headers: Record<string, string>) =>
  app.handle(new Request(`http://test.local/trpc/${path}`, { headers }));
const post = (
  app: ReturnType<typeof testApp>,
  path: string,
  body: unknown,
  headers: Record<string, string>,
) =>
  app.handle(
    new Request(`http://test.local/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ json: body }),
    }),
  );

describeWithRedis('rate limiting over HTTP, on real Redis', () => {
  let redis: Redis & { prefix: string };
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => redis.disconnect());
  // One trusted proxy: X-Forwarded-For names the client, so each test can be its own IP.
  const services = () =>
    authServices({
      database,
      redis,
      env: { F1_TRUSTED_PROXIES: '1', F1_RATE_LIMIT_REQUESTS: '100', F1_RATE_LIMIT_WINDOW: '60' },
    });

  test('1,000 concurrent requests from one client: exactly 100 admitted, the rest 429', async () => {
    const app = testApp(services());
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, () => get(app, 'health', from('203.0.113.10'))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(900);
    // Every response, admitted or not, says where the client stands.
    for (const res of responses) {
      expect(res.headers.get('ratelimit-limit')).toBe('100');
      expect(res.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    const refused = responses.find((r) => r.status === 429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    type ErrorBody = { error: { json: { message: string; data: { code: string } } } };
    const body = refused ? await jsonBody<ErrorBody>(refused) : null;
    expect(body?.error.json.data.code).toBe('TOO_MANY_REQUESTS');
    expect(body?.error.json.message).toMatch(/rate limit exceeded/);
    // A different client is unaffected.
    expect((await get(app, 'health', from('203.0.113.11'))).status).toBe(200);
  });

  test('authenticated callers are limited per user, not per IP', async () => {
    const s = authServices({
      database,
      redis,
      env: { F1_TRUSTED_PROXIES: '1', F1_RATE_LIMIT_REQUESTS: '3' },
    });
    const app = testApp(s);
    const { token } = await userWithToken(s);
    const statuses: number[] = [];
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      statuses.push((await get(app, 'auth.me', from(ip, bearer(token)))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The IP itself still has its anonymous allowance.
    expect((await get(app, 'health', from('198.51.100.4'))).status).toBe(200);
  });

  test('login: strict per IP and per account, whatever the outcome', async () => {
    const s = services();
    const app = testApp(s);
    const { email } = await userWithToken(s);
    const attempt = (ip: string, password = 'wrong password here') =>
      post(app, 'auth.login', { email, password }, from(ip));
    // Five attempts on one account from five IPs: allowed (and failing); the sixth is refused even
    // with the right password, from a fresh IP: the account is protected, not just the IP.
    for (let i = 0; i < 5; i++) expect((await attempt(`192.0.2.${i}`)).status).toBe(401);
    const sixth = await attempt('192.0.2.99', TEST_PASSWORD);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);
    // Ten attempts from one IP against ten accounts: the eleventh is refused.
    const ip = '192.0.2.200';
    for (let i = 0; i < 10; i++) {
      const res = await post(
        app,
        'auth.login',
        { email: `x${i}@example.test`, password: 'p' },
        from(ip),
      );
      expect(res.status).toBe(401);
    }
    expect(
      (await post(app, 'auth.login', { email: 'y@example.test', password: 'p' }, from(ip))).status,
    ).toBe(429);
  });

  test('registration: 5 per hour per IP', async () => {
    const app = testApp(services());
    const ip = '192.0.2.250';
    const register = (i: number) =>
      post(
        app,
        'auth.register',
        { email: `reg-${process.pid}-${i}@example.test`, password: TEST_PASSWORD },
        from(ip),
      );
    for (let i = 0; i < 5; i++) expect((await register(i)).status).toBe(200);
    const refused = await register(5);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
  });
});

test('prediction submission gets the ML batch allowance, not the default', async () => {
  const s = authServices({ database, env: { F1_RATE_LIMIT_REQUESTS: '100' } });
  const app = testApp(s);
  const { issueApiKey } = await import('../auth/api-keys.ts');
  const { key } = await issueApiKey(s.db, { name: 'ml', role: 'ml_service', createdBy: null });
  for (const path of ['predictions.submit', 'predictions.submitBulk']) {
    const res = await post(app, path, {}, { 'x-api-key': key });
    expect(res.status).toBe(400); // bad input, but counted first: the headers show the policy
    expect(res.headers.get('ratelimit-limit')).toBe(String(s.rateLimitPolicies.mlBatch.limit));
    expect(s.rateLimitPolicies.mlBatch.limit).toBe(5_000);
  }
  const read = await get(app, 'health', { 'x-api-key': key });
  expect(read.headers.get('ratelimit-limit')).toBe('100');
});

describe('Redis down: reads fail open, auth routes fail closed', () => {
  test('health answers, login is 503, a token cannot be checked (503)', async () => {
    const redis = createServerRedis('redis://127.0.0.1:1');
    redis.on('error', () => {});
    try {
      const s = authServices({ database, redis });
      const app = testApp(s);
      const read = await get(app, 'health', {});
      expect(read.status).toBe(200);
      expect(read.headers.get('ratelimit-limit')).toBeNull();
      const login = await post(app, 'auth.login', { email: 'a@example.test', password: 'p' }, {});
      expect(login.status).toBe(503);
      const body = await jsonBody<{ error: { json: { data: { code: string } } } }>(login);
      expect(body.error.json.data.code).toBe('SERVICE_UNAVAILABLE');
      // Tokens are checked against the session store, which fails closed.
      const token = await s.accessTokens.sign({ userId: 1, role: 'admin', sessionId: 'x' });
      const me = await get(app, 'auth.me', bearer(token));
      expect(me.status).toBe(503);
    } finally {
      redis.disconnect();
    }
  });
});
