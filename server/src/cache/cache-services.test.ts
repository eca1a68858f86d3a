import { afterAll, beforeAll, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import { testConfig } from '@f1/testkit/config';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { trpcUrl } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { Services } from '../services.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  await seedReadFixtures(database.db);
}, 30_000);
afterAll(() => database.close());

test('with both caches turned off every request reads the database', async () => {
  const services = testServices({ database });
  const off = new Services({
    config: testConfig(),
    database,
    redis: null,
    logger: silentLogger,
    cache: { queryCache: false, responseCache: false },
  });
  const url = trpcUrl('races.get', { season: MINI_SEASON, round: 1 });
  const name = async (s: Services) =>
    (await (await testApp(s).handle(new Request(url))).text()).includes('Moved GP');
  await testApp(services).handle(new Request(url));
  await testApp(off).handle(new Request(url));
  await database.db.updateTable('races').set({ name: 'Moved GP' }).where('round', '=', 1).execute();
  expect(await name(off)).toBe(true); // no cache: the change shows at once
  expect(await name(services)).toBe(false); // cached until invalidated
  expect(off.cache.responses.size).toBe(0);
  expect(off.cache.query.stats).toEqual({ hits: 0, misses: 0, errors: 0 });
});

test('forgetLocal drops what this process holds, the response cache and the in-process query cache', async () => {
  const services = testServices({ database });
  const url = trpcUrl('races.get', { season: MINI_SEASON, round: 2 });
  const name = async () =>
    (await (await testApp(services).handle(new Request(url))).text()).includes('Renamed GP');
  expect(await name()).toBe(false);
  expect(services.cache.responses.size).toBeGreaterThan(0);
  await database.db
    .updateTable('races')
    .set({ name: 'Renamed GP' })
    .where('round', '=', 2)
    .execute();
  expect(await name()).toBe(false); // cached: no invalidation came
  services.cache.forgetLocal();
  expect(services.cache.responses.size).toBe(0);
  // Neither the response nor the query cache answers from before.
  expect(await name()).toBe(true);
  expect(services.cache.query.stats.hits).toBe(0);
});
