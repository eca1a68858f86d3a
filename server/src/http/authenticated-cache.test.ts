/**
 * Callers with credentials and the response cache (public-get.ts): an API key or a user's token reads a
 * public cacheable procedure from the cache — after authentication and the principal's own rate limit
 * — with the anonymous bytes and `cache-control: private`; refused credentials never get a cached
 * answer; a revoked key stops working within F1_API_KEY_CACHE_SECONDS (at once when revoked here).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { revokeApiKey } from '@f1/db/auth/api-keys';
import { listAuditEntries } from '@f1/db/auth/audit';
import { userWithToken } from '@f1/testkit/auth';
import { testConfig } from '@f1/testkit/config';
import { MINI_SEASON, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { issueApiKey } from '../auth/api-keys.ts';
import { newApiKey } from '../auth/secrets.ts';
import { Services } from '../services.ts';
import { PRIVATE_CACHE_CONTROL } from './public-get.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
}, 30_000);
afterAll(() => database.close());

const STANDINGS = trpcUrl('standings.drivers', { season: MINI_SEASON });
const REST_DRIVER = 'http://test.local/api/v1/drivers/driver_a';
const ME = 'http://test.local/trpc/auth.me';

function setup(env: Record<string, string> = {}) {
  const services = testServices({ database, config: testConfig(env) });
  const app = testApp(services);
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.handle(new Request(url, { headers }));
  const issue = (name = 'ml-model') =>
    issueApiKey(services.db, { name, role: 'ml_service', createdBy: null });
  const key = async (name?: string) => (await issue(name)).key;
  return { services, app, get, key, issue, stats: services.cache.responses.stats };
}

describe('a caller with accepted credentials', () => {
  test('an API key reads the anonymous entry: same bytes, private, its own rate limit', async () => {
    const { get, key, stats } = setup({
      F1_RATE_LIMIT_REQUESTS: '50',
      F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '20',
    });
    const apiKey = await key();
    let used = 0;
    for (const url of [STANDINGS, REST_DRIVER]) {
      const anonymous = await get(url, { 'x-forwarded-for': '198.51.100.1' });
      const body = await anonymous.text();
      expect(anonymous.headers.get('cache-control')).toStartWith('public');
      const hits = stats.localHits;
      const authed = await get(url, { 'x-api-key': apiKey });
      used++;
      expect(stats.localHits).toBe(hits + 1);
      expect(authed.status).toBe(200);
      expect(await authed.text()).toBe(body);
      expect(authed.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
      expect(authed.headers.get('cache-control')).not.toContain('s-maxage');
      expect(authed.headers.get('etag')).toBe(anonymous.headers.get('etag'));
      // The principal's budget (50), not the anonymous one (20).
      expect(authed.headers.get('ratelimit-limit')).toBe('50');
      expect(authed.headers.get('ratelimit-remaining')).toBe(String(50 - used));
      // Revalidation works for it too, and says private.
      const again = await get(url, {
        'x-api-key': apiKey,
        'if-none-match': authed.headers.get('etag') ?? '',
      });
      used++;
      expect(again.status).toBe(304);
      expect(again.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
      // The anonymous entry itself is untouched: still public for anonymous callers.
      const later = await get(url, { 'x-forwarded-for': '198.51.100.1' });
      expect(later.headers.get('cache-control')).toStartWith('public');
    }
  });

  test('a miss computed for a principal is stored, and its bytes are the anonymous answer', async () => {
    const { get, key, stats } = setup();
    const apiKey = await key();
    const url = trpcUrl('drivers.list', {});
    const authed = await get(url, { authorization: `Bearer ${apiKey}` });
    expect(authed.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    expect(stats.stores).toBe(1);
    const anonymous = await get(url);
    expect(stats.localHits).toBe(1);
    expect(anonymous.headers.get('cache-control')).toStartWith('public');
    expect(await anonymous.text()).toBe(await authed.clone().text());
    // The same answer computed anonymously by another process (no cache of its own) is identical.
    const fresh = setup();
    expect(await (await fresh.get(url)).text()).toBe(await authed.clone().text());
  });

  test('the Ergast facade answers an API key from the cache as well', async () => {
    const { get, key, stats } = setup();
    const apiKey = await key('ergast-client');
    const url = `http://test.local/ergast/f1/${MINI_SEASON}/drivers.json`;
    const anonymous = await get(url);
    expect(anonymous.status).toBe(200);
    const hits = stats.localHits;
    const authed = await get(url, { 'x-api-key': apiKey });
    expect(stats.localHits).toBe(hits + 1);
    expect(await authed.text()).toBe(await anonymous.text());
    expect(authed.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    const refused = await get(url, { 'x-api-key': newApiKey().key });
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(stats.localHits).toBe(hits + 1);
  });

  test('a key known from a moment ago is trusted in either header, never with both', async () => {
    const { get, key, stats } = setup();
    const apiKey = await key('both-headers');
    await get(STANDINGS);
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200); // verified: now known
    const hits = stats.localHits;
    const bearer = await get(STANDINGS, { authorization: `Bearer ${apiKey}` });
    expect(bearer.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    expect(stats.localHits).toBe(hits + 1);
    const both = { 'x-api-key': apiKey, authorization: `Bearer ${apiKey}` };
    const read = await get(STANDINGS, both);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(stats.localHits).toBe(hits + 1);
    expect((await get(ME, both)).status).toBe(401);
    // A malformed key and a JWT-looking token are not "known" keys: checked the slow way, refused.
    expect((await get(ME, { 'x-api-key': 'f1k_short' })).status).toBe(401);
    expect(
      (await get(STANDINGS, { authorization: 'Basic abc' })).headers.get('cache-control'),
    ).toBe('no-store');
  });

  test("a user's access token reads from the cache too", async () => {
    const { services, get, stats } = setup();
    const { token } = await userWithToken(services, 'user');
    const anonymous = await (await get(STANDINGS)).text();
    const hits = stats.localHits;
    const authed = await get(STANDINGS, { authorization: `Bearer ${token}` });
    expect(stats.localHits).toBe(hits + 1);
    expect(await authed.text()).toBe(anonymous);
    expect(authed.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
  });

  test('a principal past its limit gets the 429 from the cache path, other callers do not', async () => {
    const { get, key, stats } = setup({ F1_RATE_LIMIT_REQUESTS: '2' });
    const apiKey = await key();
    await get(STANDINGS); // stored (anonymous budget)
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await get(STANDINGS, { 'x-api-key': apiKey });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(stats.localHits).toBe(3); // every one was a hit: the limit is counted there
    expect(last?.headers.get('retry-after')).not.toBeNull();
    expect(last?.headers.get('cache-control')).toBe('no-store');
    expect(await last?.text()).toContain('TOO_MANY_REQUESTS');
    // Over REST, the same principal's budget is spent as well.
    expect((await get(REST_DRIVER, { 'x-api-key': apiKey })).status).toBe(429);
    // Another principal, and anonymous callers, have budgets of their own.
    expect((await get(STANDINGS, { 'x-api-key': await key('other') })).status).toBe(200);
    expect((await get(STANDINGS, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  test('reads from the cache write no audit rows, as queries through tRPC write none', async () => {
    const { services, get, key } = setup();
    const apiKey = await key('audited');
    const before = (await listAuditEntries(services.db, { limit: 500 })).items.length;
    await get(STANDINGS, { 'x-api-key': apiKey }); // computed (or cached): a query
    await get(STANDINGS, { 'x-api-key': apiKey }); // from the cache
    expect((await listAuditEntries(services.db, { limit: 500 })).items.length).toBe(before);
  });
});

describe('refused credentials', () => {
  test('are never answered from the cache; protected procedures say 401', async () => {
    const { get, issue, stats, services } = setup();
    await get(STANDINGS); // stored
    const hits = stats.localHits;
    // A revoked key, a well-formed key no one issued, a malformed one, a token that is not a JWT.
    const revoked = await issue('revoked');
    await revokeApiKey(services.db, revoked.apiKey.id);
    const unknown = newApiKey().key;
    const cases: Record<string, string>[] = [
      { 'x-api-key': revoked.key },
      { 'x-api-key': unknown },
      { 'x-api-key': `${unknown.slice(0, -1)}${unknown.endsWith('0') ? '1' : '0'}` },
      { authorization: 'Bearer not-a-token' },
    ];
    for (const headers of cases) {
      const read = await get(STANDINGS, headers);
      // Public procedures run anonymously for refused credentials (auth/request-context.ts), computed
      // afresh and never stored or marked cacheable.
      expect(read.headers.get('cache-control')).toBe('no-store');
      expect(read.headers.get('etag')).toBeNull();
      const me = await get(ME, headers);
      expect(me.status).toBe(401);
    }
    expect(stats.localHits).toBe(hits);
  });
});

describe('the API key verification cache (F1_API_KEY_CACHE_SECONDS)', () => {
  test('a key revoked elsewhere works until its window ends, then is refused', async () => {
    // A 2 s window: the revocation and the next read fit in it even on a loaded machine.
    const { services, get, issue } = setup({ F1_API_KEY_CACHE_SECONDS: '2' });
    const { key: apiKey, apiKey: row } = await issue('windowed');
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200);
    expect(services.apiKeyCache.size).toBe(1);
    // Revoked by another process (the admin CLI): this process trusts its verification a while.
    await revokeApiKey(services.db, row.id);
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200);
    await Bun.sleep(2_100);
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(401);
    const read = await get(STANDINGS, { 'x-api-key': apiKey });
    expect(read.headers.get('cache-control')).toBe('no-store');
  });

  test('a key expiring inside the window is refused right after its own expiry', async () => {
    const { services, get } = setup({ F1_API_KEY_CACHE_SECONDS: '300' });
    const { key: apiKey } = await issueApiKey(services.db, {
      name: 'short-lived',
      role: 'ml_service',
      createdBy: null,
      // 2 s: the first read must land before the expiry even on a loaded machine.
      expiresAt: new Date(Date.now() + 2_000),
    });
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200);
    expect(services.apiKeyCache.size).toBe(1);
    await Bun.sleep(2_100);
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(401);
    const read = await get(STANDINGS, { 'x-api-key': apiKey });
    expect(read.headers.get('cache-control')).toBe('no-store');
  });

  test('a key revoked through this process is refused at once', async () => {
    const { services, app, get, issue } = setup({ F1_API_KEY_CACHE_SECONDS: '300' });
    const admin = await userWithToken(services, 'admin');
    const { key: apiKey, apiKey: row } = await issue('revoked-here');
    const id = row.id;
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200);
    const deleted = await app.handle(
      new Request(`http://test.local/api/v1/api-keys/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin.token}` },
      }),
    );
    expect(deleted.status).toBe(200);
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(401);
  });

  test('0 turns it off: every request asks the database', async () => {
    const { services, get, key } = setup({ F1_API_KEY_CACHE_SECONDS: '0' });
    const apiKey = await key('uncached');
    expect((await get(ME, { 'x-api-key': apiKey })).status).toBe(200);
    expect(services.apiKeyCache.size).toBe(0);
    expect(services.apiKeyCache.enabled).toBe(false);
  });
});

test('Services builds its key cache from the configuration', () => {
  const services = new Services({
    config: testConfig({ F1_API_KEY_CACHE_SECONDS: '7' }),
    database: database,
    redis: null,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  expect(services.apiKeyCache.enabled).toBe(true);
});
