/**
 * The facade over HTTP (in-process, `app.handle`): both prefixes, HEAD, 405, 400s naming the segment,
 * `current`/`last`/`next` on our data, ETag/304, the response cache and its invalidation on a data
 * change, and the per-principal `ergast` rate limit — on 2023 and 2024 loaded from the real export.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { raceIdsInScope } from '@f1/db/ergast/filter';
import { bearer, userWithToken } from '@f1/testkit/auth';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { sql } from 'kysely';

type MRData = Record<string, unknown> & { RaceTable: Record<string, unknown> & { Races: Race[] } };
type Race = Record<string, unknown> & { season: string; round: string; raceName: string };

if (!findSharedDataDir()) {
  skipSuite('Ergast facade over HTTP', SHARED_DATA_MISSING);
} else {
  let database: TestDatabase;
  let services: ReturnType<typeof testServices>;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db, { seasons: [2023, 2024] });
    services = testServices({
      database,
      config: testConfig({ F1_ERGAST_FACADE_RATE_LIMIT: '100000' }),
    });
    app = testApp(services);
  }, 120_000);
  afterAll(() => database?.close());

  const call = (path: string, init?: RequestInit) =>
    app.handle(new Request(`http://facade.test${path}`, init));
  const mr = async (res: Response) => ((await res.json()) as { MRData: MRData }).MRData;

  describe('paths', () => {
    test('both prefixes answer the same table; url names the prefix used', async () => {
      const a = await call('/ergast/f1/2023/5/results.json');
      const b = await call('/api/f1/2023/5/results');
      expect([a.status, b.status]).toEqual([200, 200]);
      const [ma, mb] = [await mr(a), await mr(b)];
      expect(ma.url).toBe('http://facade.test/ergast/f1/2023/5/results.json');
      expect(mb.url).toBe('http://facade.test/api/f1/2023/5/results.json');
      expect({ ...ma, url: '' }).toEqual({ ...mb, url: '' });
      expect(ma.total).toBe('20');
      expect(ma.RaceTable.Races[0]?.raceName).toBe('Miami Grand Prix');
    });

    test('case-insensitive segments, trailing slash, url lower-cased', async () => {
      const res = await call('/ergast/f1/2023/Drivers/max_verstappen/RESULTS/');
      expect(res.status).toBe(200);
      const body = await mr(res);
      expect(body.url).toBe(
        'http://facade.test/ergast/f1/2023/drivers/max_verstappen/results.json',
      );
      expect(body.total).toBe('22');
      expect(body.RaceTable.driverId).toBe('max_verstappen');
    });

    test('limit is clamped to 100 and echoed; offset past the end is an empty page', async () => {
      const body = await mr(await call('/ergast/f1/2023/results.json?limit=1000&offset=430'));
      expect([body.limit, body.offset, body.total]).toEqual(['100', '430', '440']);
      expect(body.RaceTable.Races.flatMap((r) => r.Results as unknown[])).toHaveLength(10);
      const past = await mr(await call('/ergast/f1/2023/results.json?offset=5000'));
      expect([past.total, past.RaceTable.Races]).toEqual(['440', []]);
    });

    test.each([
      ['/ergast/f1/2023/bogus.json', 'bogus'],
      ['/ergast/f1/2023/grid/first/results.json', 'grid'],
      ['/ergast/f1/2023/results.json?limit=ten', 'limit'],
      ['/ergast/f1/2023/laps.json', 'round'],
      ['/ergast/f1/2023/laps/3/results.json', 'laps'],
      ['/ergast/f1/2023/drivers/a/drivers/b/results.json', 'drivers'],
      ['/ergast/f1/2023/5/pitstops/2/results.json', 'pitstops'],
      ['/ergast/f1/', 'endpoint'],
    ])('%s → 400 naming %s', async (path, segment) => {
      const res = await call(path);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.message).toContain(segment);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    test('races filtered by entrant and result: the races with such a result', async () => {
      const deVries = await mr(await call('/ergast/f1/2023/drivers/de_vries/races.json'));
      expect(deVries.RaceTable.Races.map((r) => r.round)).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
        '10',
      ]);
      const races = await mr(await call('/ergast/f1/2023/constructors/red_bull/grid/1/races.json'));
      const results = await mr(await call('/ergast/f1/2023/constructors/red_bull/grid/1/results'));
      expect(races.total).toBe(results.total);
      expect(Number(races.total)).toBeGreaterThan(10);
      expect(races.RaceTable).toMatchObject({
        season: '2023',
        constructorId: 'red_bull',
        grid: '1',
      });
    });

    test('the shared filter scopes races by circuit and by a result of the driver', async () => {
      const db = database.db;
      const filter = { season: 2023, circuitRef: 'monaco', driverRef: 'alonso' };
      const rows = await db
        .selectFrom('races')
        .select('round')
        .where('id', 'in', raceIdsInScope(db, filter))
        .execute();
      expect(rows).toEqual([{ round: 6 }]);
    });

    test('unknown season or round → 200 with an empty list', async () => {
      const body = await mr(await call('/ergast/f1/1900/results.json'));
      expect([body.total, body.RaceTable.Races]).toEqual(['0', []]);
    });

    test('last of a season without races → 404', async () => {
      const res = await call('/ergast/f1/1901/last/results.json');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
    });

    test('other methods → 405 with Allow', async () => {
      const res = await call('/ergast/f1/2023/results.json', { method: 'POST' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    });

    test('HEAD answers as GET without a body', async () => {
      const get = await call('/api/f1/2024/races.json');
      const head = await call('/api/f1/2024/races.json', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
      // The GET's length (RFC 9110 §8.6), not 0.
      const length = new TextEncoder().encode(await get.text()).byteLength;
      expect(length).toBeGreaterThan(1000);
      expect(head.headers.get('content-length')).toBe(String(length));
    });
  });

  describe('current, last, next', () => {
    test('current is the latest season with races; last its final round when all have results', async () => {
      const body = await mr(await call('/ergast/f1/current/last.json'));
      expect([body.RaceTable.season, body.RaceTable.round]).toEqual(['2024', '24']);
      const next = await mr(await call('/ergast/f1/current/next.json'));
      expect([next.RaceTable.season, next.RaceTable.round, next.total]).toEqual(['2025', '1', '0']);
    });

    test('in a season under way, next is the first round without results and last the one before', async () => {
      await sql`DELETE FROM race_results WHERE race_id IN (SELECT id FROM races WHERE season = 2024 AND round >= 22)`.execute(
        database.db,
      );
      const races = await database.db
        .selectFrom('races')
        .select(['id as raceId', 'season', 'round'])
        .where('season', '=', 2024)
        .where('round', '>=', 22)
        .execute();
      await services.changes.changed([{ kind: 'results', races }]);
      const last = await mr(await call('/ergast/f1/2024/last/results.json'));
      expect([last.RaceTable.round, last.RaceTable.Races[0]?.round]).toEqual(['21', '21']);
      const next = await mr(await call('/ergast/f1/current/next.json'));
      expect([next.RaceTable.season, next.RaceTable.round]).toEqual(['2024', '22']);
      expect(next.RaceTable.Races[0]?.raceName).toBe('Las Vegas Grand Prix');
    });
  });

  describe('edge and response cache', () => {
    test('public Cache-Control, ETag, and 304 on If-None-Match', async () => {
      const first = await call('/ergast/f1/2023/1/qualifying.json');
      expect(first.headers.get('cache-control')).toStartWith('public');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const again = await call('/ergast/f1/2023/1/qualifying.json', {
        headers: { 'if-none-match': String(etag) },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
    });

    test('spellings of one request, and parameters the facade ignores, share one cached answer', async () => {
      services.cache.responses.clear();
      const spellings = [
        '/ergast/f1/2023/7/results.json',
        '/ergast/f1/2023/7/results',
        '/ergast/f1/2023/7/results/',
        '/ergast/f1//2023/7/Results.JSON',
        '/ergast/f1/2023/7/results.json?_=1',
        '/ergast/f1/2023/7/results.json?_=2&limit=30',
        '/ergast/f1/2023/7/results.json?limit=0&offset=0',
      ];
      const answers = [];
      for (const path of spellings) answers.push(await call(path));
      expect(answers.map((a) => a.status)).toEqual(spellings.map(() => 200));
      expect(new Set(answers.map((a) => a.headers.get('etag'))).size).toBe(1);
      expect((await mr(answers[3] as Response)).url).toBe(
        'http://facade.test/ergast/f1/2023/7/results.json',
      );
      expect(services.cache.responses.size).toBe(1);
      await call('/ergast/f1/2023/7/results.json?limit=31');
      expect(services.cache.responses.size).toBe(2);
    });

    test('a cached answer stays until a data change of its season drops it', async () => {
      const path = '/ergast/f1/2023/2/races.json';
      const before = await call(path);
      const name = (await mr(before)).RaceTable.Races[0]?.raceName;
      expect(name).toBe('Saudi Arabian Grand Prix');
      await database.db
        .updateTable('races')
        .set({ name: 'Renamed Grand Prix' })
        .where('season', '=', 2023)
        .where('round', '=', 2)
        .execute();
      const cached = await call(path);
      expect((await mr(cached)).RaceTable.Races[0]?.raceName).toBe('Saudi Arabian Grand Prix');
      expect(cached.headers.get('etag')).toBe(before.headers.get('etag'));
      await services.changes.changed([{ kind: 'schedule', seasons: [2023] }]);
      const after = await call(path);
      expect((await mr(after)).RaceTable.Races[0]?.raceName).toBe('Renamed Grand Prix');
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    });
  });

  describe('rate limit', () => {
    test('counts every request per principal, cached or not, and answers 429 with Retry-After', async () => {
      const limited = testServices({
        database,
        config: testConfig({ F1_ERGAST_FACADE_RATE_LIMIT: '3' }),
      });
      const limitedApp = testApp(limited);
      const hit = (ip: string) =>
        limitedApp.handle(
          new Request('http://facade.test/ergast/f1/2023/1/results.json', {
            headers: { 'x-forwarded-for': ip },
          }),
        );
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await hit('203.0.113.7')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await hit('203.0.113.7');
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(((await refused.json()) as { code: string }).code).toBe('TOO_MANY_REQUESTS');
      // A signed-in user has a bucket of their own, and their answer is not for shared caches.
      const { token } = await userWithToken(limited);
      const signedIn = await limitedApp.handle(
        new Request('http://facade.test/ergast/f1/2023/1/results.json', {
          headers: { ...bearer(token), 'x-forwarded-for': '203.0.113.7' },
        }),
      );
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get('ratelimit-remaining')).toBe('2');
      // Served from the cached entry, but for this caller only.
      expect(signedIn.headers.get('cache-control')).toBe('private, max-age=0');
    });
  });
}
