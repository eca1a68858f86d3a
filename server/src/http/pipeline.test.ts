import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { batchUrl, trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import type { Services } from '../services.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
});
afterAll(() => database.close());

const standings = trpcUrl('standings.drivers', { season: MINI_SEASON });
const get = (services: Services, url: string, headers: Record<string, string> = {}) =>
  testApp(services).handle(new Request(url, { headers }));

describe('edge cache headers', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices({ database });
  });

  test('a public GET query: Cache-Control from the procedure meta and an ETag', async () => {
    const res = await get(services, standings);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=600',
    );
    expect(res.headers.get('etag')).toMatch(/^W\/"[0-9a-z]+"$/);
  });

  test('If-None-Match with the ETag gets a 304 with the validators and no body', async () => {
    const etag = (await get(services, standings)).headers.get('etag') ?? '';
    for (const ifNoneMatch of [etag, `"other", ${etag}`, etag.replace('W/', ''), '*']) {
      const res = await get(services, standings, { 'if-none-match': ifNoneMatch });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toStartWith('public');
    }
    expect((await get(services, standings, { 'if-none-match': 'W/"nope"' })).status).toBe(200);
  });

  test('the same answer has the same ETag; a different one a different ETag', async () => {
    const a = (await get(services, standings)).headers.get('etag');
    const b = (await get(services, standings)).headers.get('etag');
    const round1 = trpcUrl('standings.drivers', { season: MINI_SEASON, round: 1 });
    const c = (await get(services, round1)).headers.get('etag');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  test('a batch is cacheable only if every call is; its lifetime is the strictest', async () => {
    const both = await get(
      services,
      batchUrl([
        ['standings.drivers', { season: MINI_SEASON }],
        ['races.calendar', { season: MINI_SEASON }],
      ]),
    );
    expect(both.headers.get('cache-control')).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=600',
    );
    const mixed = await get(
      services,
      batchUrl([
        ['standings.drivers', { season: MINI_SEASON }],
        ['health', undefined],
      ]),
    );
    expect(mixed.status).toBe(200);
    expect(mixed.headers.get('cache-control')).toBe('no-store');
    expect(mixed.headers.get('etag')).toBeNull();
  });

  test('errors, authenticated requests, POSTs and streamed batches are no-store', async () => {
    const notFound = await get(services, trpcUrl('drivers.get', { driverId: 'nobody' }));
    expect([notFound.status, notFound.headers.get('cache-control')]).toEqual([404, 'no-store']);
    const badInput = await get(services, trpcUrl('standings.drivers', { season: 1 }));
    expect([badInput.status, badInput.headers.get('cache-control')]).toEqual([400, 'no-store']);
    for (const headers of [{ authorization: 'Bearer x' }, { 'x-api-key': 'k' }] as Record<
      string,
      string
    >[]) {
      const res = await get(services, standings, headers);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('etag')).toBeNull();
    }
    const post = await testApp(services).handle(
      new Request(trpcUrl('standings.drivers'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { season: MINI_SEASON } }),
      }),
    );
    expect(post.status).toBe(405);
    expect(post.headers.get('cache-control')).toBe('no-store');
    const streamed = await get(
      services,
      batchUrl([['standings.drivers', { season: MINI_SEASON }]]),
      { 'trpc-accept': 'application/jsonl' },
    );
    expect(streamed.headers.get('cache-control')).toBe('no-store');
  });
});

describe('HEAD', () => {
  test('HEAD on a mutation is 405 like any other wrong method; on a query, its GET without body', async () => {
    const services = testServices({ database });
    const head = (url: string) => testApp(services).handle(new Request(url, { method: 'HEAD' }));
    // Regression: tRPC answered every HEAD 204, so HEAD /trpc/auth.login looked like success.
    const login = await head(trpcUrl('auth.login'));
    expect([login.status, await login.text()]).toEqual([405, '']);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const got = await get(services, standings);
    const query = await head(standings);
    expect([query.status, await query.text()]).toEqual([200, '']);
    expect(query.headers.get('etag')).toBe(got.headers.get('etag'));
    expect(query.headers.get('cache-control')).toBe(got.headers.get('cache-control'));
    expect((await head(trpcUrl('drivers.get', { driverId: 'nobody' }))).status).toBe(404);
  });

  test('HEAD on a subscription answers its headers at once (its stream never ends)', async () => {
    const services = testServices({ database });
    const url = trpcUrl('predictions.onUpdate', { season: MINI_SEASON, round: 1 });
    const answer = testApp(services).handle(new Request(url, { method: 'HEAD' }));
    const timeout = Bun.sleep(3_000).then(() => 'timed out');
    const res = await Promise.race([answer, timeout]);
    if (typeof res === 'string') throw new Error(`HEAD ${url} ${res}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toStartWith('text/event-stream');
    expect(await res.text()).toBe('');
  });
});

describe('other methods', () => {
  test('OPTIONS (no preflight), PUT, DELETE, PATCH: 405 with Allow, as on REST (tRPC said 415)', async () => {
    const services = testServices({ database });
    const send = (url: string, method: string) =>
      testApp(services).handle(new Request(url, { method }));
    for (const method of ['OPTIONS', 'PUT', 'DELETE', 'PATCH']) {
      const query = await send(standings, method);
      const body = (await query.json()) as { error: { json: { data: { code: string } } } };
      expect([method, query.status, body.error.json.data.code]).toEqual([
        method,
        405,
        'METHOD_NOT_SUPPORTED',
      ]);
      expect(query.headers.get('allow')).toBe('GET, HEAD');
      expect(query.headers.get('cache-control')).toBe('no-store');
    }
    const mutation = await send(trpcUrl('auth.login'), 'DELETE');
    expect([mutation.status, mutation.headers.get('allow')]).toEqual([405, 'POST']);
    const batch = await send(
      batchUrl([
        ['health', undefined],
        ['auth.login', undefined],
      ]),
      'PUT',
    );
    expect([batch.status, batch.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    expect(((await batch.json()) as unknown[]).length).toBe(2);
  });
});

describe('response cache (in-process)', () => {
  test('a repeated GET is served from cached bytes: identical body and headers', async () => {
    const services = testServices({ database });
    const first = await get(services, standings);
    const firstBody = await first.text();
    const before = services.cache.responses.stats.localHits;
    const second = await get(services, standings);
    expect(services.cache.responses.stats.localHits).toBe(before + 1);
    expect(await second.text()).toBe(firstBody);
    // Identical but for the rate-limit headers and the request id, which are per request (the hit
    // counted too).
    const stable = (res: Response) =>
      [...res.headers].filter(([name]) => !/^ratelimit|^x-request-id$/.test(name));
    expect(stable(second)).toEqual(stable(first));
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(
      Number(first.headers.get('ratelimit-remaining')) - 1,
    );
    const notModified = await get(services, standings, {
      'if-none-match': first.headers.get('etag') ?? '',
    });
    expect(notModified.status).toBe(304);
    expect(services.cache.responses.stats.localHits).toBe(before + 2);
  });

  test('a data change is invisible until invalidated, then served fresh', async () => {
    const services = testServices({ database });
    const calendar = trpcUrl('races.calendar', { season: MINI_SEASON });
    const before = await (await get(services, calendar)).text();
    expect(before).toContain('First GP');
    await database.db
      .updateTable('races')
      .set({ name: 'Renamed GP' })
      .where('round', '=', 1)
      .execute();
    try {
      expect(await (await get(services, calendar)).text()).toBe(before);
      await services.invalidation.invalidate([`season:${MINI_SEASON}`]);
      const after = await (await get(services, calendar)).text();
      expect(after).toContain('Renamed GP');
      expect(after).not.toContain('First GP');
    } finally {
      await database.db
        .updateTable('races')
        .set({ name: 'First GP' })
        .where('round', '=', 1)
        .execute();
      await services.invalidation.invalidate([`season:${MINI_SEASON}`]);
    }
  });

  test('authenticated requests never read from or write to the response cache', async () => {
    const services = testServices({ database });
    const url = trpcUrl('races.get', { season: MINI_SEASON, round: 2 });
    await get(services, url, { authorization: 'Bearer x' });
    expect(services.cache.responses.size).toBe(0);
    await get(services, url);
    const hits = services.cache.responses.stats.localHits;
    const authed = await get(services, url, { 'x-api-key': 'k' });
    expect(services.cache.responses.stats.localHits).toBe(hits);
    expect(authed.headers.get('cache-control')).toBe('no-store');
  });
});
