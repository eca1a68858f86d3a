/** The REST bridge (/api/v1) authenticates, authorises, limits and audits exactly like /trpc. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { listAuditEntries } from '@f1/db/auth/audit';
import { authServices, bearer, TEST_PASSWORD, uniqueEmail, userWithToken } from '@f1/testkit/auth';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServerRedisIfAny } from '@f1/testkit/server';
import type { Services } from '../services.ts';

let database: TestDatabase;
let redis: Redis | null = null;
let services: Services;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  redis = await testServerRedisIfAny();
  services = authServices({
    database,
    redis,
    env: { F1_RATE_LIMIT_REQUESTS: '3', F1_TRUSTED_PROXIES: '1' },
  });
  app = testApp(services);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await database.close();
});

const rest = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  app.handle(
    new Request(`http://test.local/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
    }),
  );

test('register, use the token, refuse a missing or bad one', async () => {
  const email = uniqueEmail('rest');
  const registered = await rest('/auth/register', {
    method: 'POST',
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
    headers: { 'x-forwarded-for': '198.51.100.200' },
  });
  expect(registered.status).toBe(200);
  const tokens = await jsonBody<{ accessToken: string; user: { email: string } }>(registered);
  expect(tokens.user.email).toBe(email);
  const me = await rest('/auth/me', {
    headers: { ...bearer(tokens.accessToken), 'x-forwarded-for': '198.51.100.201' },
  });
  expect(me.status).toBe(200);
  expect(await jsonBody<{ kind: string }>(me)).toMatchObject({ kind: 'user' });
  expect(me.headers.get('ratelimit-limit')).toBe('3');

  const anonymous = await rest('/auth/me', { headers: { 'x-forwarded-for': '198.51.100.202' } });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
  const bad = await rest('/auth/me', {
    headers: { ...bearer(`${tokens.accessToken}x`), 'x-forwarded-for': '198.51.100.203' },
  });
  expect(bad.status).toBe(401);
  expect(await bad.text()).not.toContain(tokens.accessToken);
});

test('roles: API keys over REST, admin-only routes, revocation by DELETE', async () => {
  const admin = await userWithToken(services, 'admin');
  const headers = { ...bearer(admin.token), 'x-forwarded-for': '198.51.100.210' };
  const created = await rest('/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'python-model' }),
    headers,
  });
  expect(created.status).toBe(200);
  const { key, apiKey } = await jsonBody<{ key: string; apiKey: { id: number } }>(created);
  const asKey = { 'x-api-key': key, 'x-forwarded-for': '198.51.100.211' };
  expect((await rest('/auth/me', { headers: asKey })).status).toBe(200);
  expect((await rest('/api-keys', { headers: asKey })).status).toBe(403);
  const revoked = await rest(`/api-keys/${apiKey.id}`, { method: 'DELETE', headers });
  expect(revoked.status).toBe(200);
  expect((await rest('/auth/me', { headers: asKey })).status).toBe(401);
  const audit = await listAuditEntries(services.db, { action: 'apiKeys.revoke', limit: 5 });
  expect(audit.items[0]).toMatchObject({
    userId: admin.user.id,
    outcome: 'success',
    ip: '198.51.100.210',
  });
});

test('the same limit as /trpc: 429 with Retry-After and RateLimit headers', async () => {
  const from = { 'x-forwarded-for': '198.51.100.220' };
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 4; i++) {
    last = await rest('/health', { headers: from });
    statuses.push(last.status);
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(last?.headers.get('ratelimit-remaining')).toBe('0');
  // /trpc shares the bucket: the client is already out of requests there too.
  const trpc = await app.handle(new Request('http://test.local/trpc/health', { headers: from }));
  expect(trpc.status).toBe(429);
});
