/** The read procedures over the OpenAPI bridge (REST under /api/v1): same answers, plain JSON. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';

let database: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  await seedReadFixtures(database.db);
  app = testApp(testServices({ database }));
}, 30_000);
afterAll(() => database.close());

const get = (path: string) => app.handle(new Request(`http://test.local/api/v1${path}`));

describe('read API over REST', () => {
  test('standings: path parameters coerced, rows as in tRPC', async () => {
    const res = await get(`/seasons/${MINI_SEASON}/standings/drivers?round=1`);
    expect(res.status).toBe(200);
    const body = await jsonBody<{ season: number; round: number; rows: { points: number }[] }>(res);
    expect([body.season, body.round, body.rows.map((r) => r.points)]).toEqual([
      MINI_SEASON,
      1,
      [25, 18, 15, 12],
    ]);
  });

  test('lists page with query parameters; dates are ISO strings', async () => {
    const page = await jsonBody<{ items: { driverId: string }[]; nextCursor: string }>(
      await get('/drivers?limit=2'),
    );
    expect(page.items.map((d) => d.driverId)).toEqual(['driver_a', 'driver_b']);
    const next = await jsonBody<{ items: { driverId: string }[] }>(
      await get(`/drivers?limit=2&cursor=${page.nextCursor}`),
    );
    expect(next.items.map((d) => d.driverId)).toEqual(['driver_c', 'driver_d']);
    const race = await jsonBody<{ startsAt: string }>(await get(`/seasons/${MINI_SEASON}/races/1`));
    expect(race.startsAt).toBe('2021-04-04T13:00:00.000Z');
  });

  test('unknown ids are 404 and bad input 400, naming what was wrong', async () => {
    const missing = await get('/drivers/nobody');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('driver \\"nobody\\" not found');
    const bad = await get(`/seasons/${MINI_SEASON}/races/0/results`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('round');
  });

  test('query keys named after Object.prototype members are 400 naming the key (regression: 500)', async () => {
    for (const key of [
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'colour',
    ]) {
      const res = await get(`/drivers?${key}=1`);
      const body = await jsonBody<{ code: string; message: string; issues: { keys: string[] }[] }>(
        res,
      );
      expect([key, res.status, body.code, body.issues[0]?.keys]).toEqual([
        key,
        400,
        'BAD_REQUEST',
        [key],
      ]);
      expect(body.message).toBe(`unknown query parameter: "${key}"`);
    }
    // Declared keys next to a prototype-named path parameter value still work.
    expect((await get('/drivers/constructor')).status).toBe(404);
  });

  test('the document names the domain schemas as components', async () => {
    const doc = await jsonBody<{ paths: Record<string, unknown>; components: { schemas: object } }>(
      await app.handle(new Request('http://test.local/api/openapi.json')),
    );
    for (const path of [
      '/drivers/{driverId}',
      '/seasons/{season}/standings/drivers',
      '/races/next',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    for (const schema of ['Driver', 'Race', 'RaceResults', 'DriverStandings', 'DriverStandingRow'])
      expect(Object.keys(doc.components.schemas)).toContain(schema);
  });
});
