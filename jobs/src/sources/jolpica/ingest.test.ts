import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import { ingestionChanges } from '@f1/core/changes/data-changes';
import { silentLogger } from '@f1/core/logger';
import { seasonStandings } from '@f1/db/standings/refresh';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { describeEachBackend } from '@f1/testkit/backends';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { sql } from 'kysely';
import { setupServer } from 'msw/node';
import { dumpSeason } from '../../ingestion/testing.ts';
import { importCsv } from '../csv-export/import.ts';
import { SourceHttp } from '../http/http.ts';
import { JolpicaClient } from './client.ts';
import { ingestSeason, QualifyingIngestionService, RaceIngestionService } from './ingest.ts';
import { FAKE_BASE_URL, fakeJolpica } from './testing.ts';

const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR], maxLimit: 5 });
const pristine = structuredClone(fake.results);
const server = setupServer(...fake.handlers);
let oracle: TestDatabase;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  // The independent oracle: the same data through the CSV path.
  oracle = await freshDatabase('pglite');
  await importCsv(oracle.db, { dirs: [MINI_EXPORT_DIR] });
}, 60_000);
afterEach(() => {
  fake.faults.length = 0;
  fake.results.splice(0, fake.results.length, ...structuredClone(pristine));
});
afterAll(async () => {
  server.close();
  await oracle.close();
});

const newClient = (timeoutMs = 2_000) =>
  new JolpicaClient(
    new SourceHttp({
      timeoutMs,
      retryAttempts: 3,
      requestsPerSecond: 1_000,
      hourlyBudget: 1_000,
      backoffBaseMs: 1,
    }),
    FAKE_BASE_URL,
  );

describeEachBackend('ingestion from the API', (database) => {
  const deps = (client = newClient()) => ({ db: database().db, client });
  const clearSeason = (season: number) =>
    sql`DELETE FROM races WHERE season = ${season}`.execute(database().db);

  test('a season from the API equals the same data imported from CSV (shared drives included)', async () => {
    const client = newClient();
    const report = await ingestSeason(deps(client), 2021);
    expect(report.failures).toEqual([]);
    expect(report.roundsWritten).toEqual([1, 2, 3]);
    expect(report.tables.race_results).toEqual({
      created: 8,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    });
    expect(report.tables.qualifying_results.created).toBe(4);
    expect(report.changedRaces.map((r) => r.round)).toEqual([1, 2]);
    // schedule + season page + 2 pages of 5 results + sprint + qualifying
    expect(client.stats).toEqual({ requests: 6, throttled: 0, retries: 0 });
    expect(report.tables.seasons).toEqual({ created: 1, updated: 0, deleted: 0, unchanged: 0 });
    expect(await dumpSeason(database().db, 2021)).toEqual(await dumpSeason(oracle.db, 2021));
    await ingestSeason(deps(), 1955);
    expect(await dumpSeason(database().db, 1955)).toEqual(await dumpSeason(oracle.db, 1955));
    const fingerprints = await database()
      .db.selectFrom('ingested_rounds')
      .select(['round', 'dataset', 'row_count'])
      .where('season', '=', 2021)
      .orderBy('round')
      .orderBy('dataset')
      .execute();
    expect(fingerprints).toEqual([
      { round: 1, dataset: 'qualifying', row_count: 4 },
      { round: 1, dataset: 'results', row_count: 4 },
      { round: 2, dataset: 'results', row_count: 4 },
      { round: 2, dataset: 'sprint', row_count: 4 },
    ]);
  });

  test('a second identical run writes nothing', async () => {
    const db = database().db;
    const stamps = () =>
      db.selectFrom('drivers').select(['driver_ref', 'updated_at']).orderBy('driver_ref').execute();
    const before = await stamps();
    const report = await ingestSeason(deps(), 2021);
    expect(report.totals).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(report.changedRaces).toEqual([]);
    expect(report.changedSeasons).toEqual([]);
    expect(await stamps()).toEqual(before);
  });

  test("the season's page: stored with the season, one request per season run, kept when the source has none", async () => {
    const db = database().db;
    const url = () =>
      db.selectFrom('seasons').select('url').where('year', '=', 2021).executeTakeFirst();
    expect(await url()).toEqual({ url: 'http://example.org/2021_season' });

    const entry = fake.seasons.find((s) => s.year === 2021);
    if (!entry) throw new Error('fixture changed');
    entry.url = 'http://example.org/2021_renamed';
    try {
      const seen = fake.requests.length;
      const report = await ingestSeason(deps(), 2021, { datasets: [] });
      expect(fake.requests.slice(seen).map((u) => new URL(u).pathname)).toEqual([
        '/ergast/f1/2021.json',
        '/ergast/f1/2021/seasons.json',
      ]);
      expect(report.tables.seasons).toEqual({ created: 0, updated: 1, deleted: 0, unchanged: 0 });
      expect(report.changedSeasons).toEqual([2021]);
      expect(await url()).toEqual({ url: 'http://example.org/2021_renamed' });

      // Results of a season or a round: no season page requested.
      const before = fake.requests.length;
      await new RaceIngestionService(deps()).run({ season: 2021 });
      await new RaceIngestionService(deps()).run({ season: 2021, round: 1 });
      expect(fake.requests.slice(before).some((u) => u.includes('seasons'))).toBe(false);

      // The source lists the season without a url: the stored one stays.
      entry.url = null;
      const silent = await ingestSeason(deps(), 2021, { datasets: [] });
      expect(silent.tables.seasons).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
      expect(await url()).toEqual({ url: 'http://example.org/2021_renamed' });
    } finally {
      entry.url = 'http://example.org/2021_season';
    }
    await ingestSeason(deps(), 2021, { datasets: [] });
    expect(await url()).toEqual({ url: 'http://example.org/2021_season' });
  });

  test('a round re-ingested after a disqualification equals the source; standings follow', async () => {
    const round2 = fake.results.filter((r) => r.season === 2021 && r.round === 2);
    const b = round2.find((r) => r.driverRef === 'driver_b');
    const c = round2.find((r) => r.driverRef === 'driver_c');
    if (!b || !c) throw new Error('fixture changed');
    Object.assign(b, {
      position: null,
      position_text: 'D',
      position_order: 4,
      points: 0,
      status: 'Disqualified',
    });
    Object.assign(c, { position: 1, position_text: '1', position_order: 1, points: 12.5 });
    fake.results.splice(
      fake.results.findIndex(
        (r) => r.round === 2 && r.driverRef === 'driver_d' && r.season === 2021,
      ),
      1,
    );

    const report = await new RaceIngestionService(deps()).run({ season: 2021, round: 2 });
    expect(report.tables.race_results).toEqual({
      created: 0,
      updated: 2,
      deleted: 1,
      unchanged: 1,
    });
    expect(report.tables.sprint_results).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: 4,
    });
    expect(report.changedRaces.map((r) => [r.season, r.round])).toEqual([[2021, 2]]);
    const rows = (await dumpSeason(database().db, 2021)).results.filter((r) => r.round === 2);
    expect(rows.map((r) => [r.driver_ref, r.position, r.position_text, r.points])).toEqual([
      ['driver_c', 1, '1', 12.5],
      ['driver_a', 3, '3', 7.5],
      ['driver_b', null, 'D', 0],
    ]);
    const { changes } = createProcessChanges({
      db: database().db,
      logger: silentLogger,
      redis: null,
    });
    await changes.changed(ingestionChanges(report));
    const standings = await seasonStandings(database().db, { season: 2021 });
    expect(standings.drivers.map((d) => [d.ref, d.points])).toEqual([
      ['driver_a', 34.5],
      ['driver_c', 30.5],
      ['driver_b', 18],
      ['driver_d', 2],
    ]);
  });

  test('a payload violating the schema fails that round, naming field and URL, and writes nothing for it', async () => {
    await clearSeason(2021);
    fake.fail(
      /2021\/results\.json/,
      {
        mutate: (body) => {
          const races = (
            body.MRData as {
              RaceTable: { Races: { round: string; Results: { laps?: string }[] }[] };
            }
          ).RaceTable.Races;
          const first = races.find((r) => r.round === '1')?.Results[2];
          if (first) first.laps = 'fifty';
        },
      },
      10,
    );
    const report = await new RaceIngestionService(deps()).run({ season: 2021 });
    expect(report.roundsWritten).toEqual([2]);
    expect(report.failures).toEqual([
      {
        season: 2021,
        round: 1,
        message: 'Results[2].laps: expected an integer, got "fifty"',
        urls: [`${FAKE_BASE_URL}/2021/results.json?limit=100&offset=0`],
      },
    ]);
    const stored = await dumpSeason(database().db, 2021);
    expect(stored.races.map((r) => r.round)).toEqual([2]);
    expect(stored.results.map((r) => r.round)).toEqual([2, 2, 2, 2]);
  });

  test('an empty or unknown round is not an error', async () => {
    for (const round of [3, 99]) {
      const report = await new QualifyingIngestionService(deps()).run({ season: 2021, round });
      expect(report.failures).toEqual([]);
      expect(report.totals).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
    }
    expect((await ingestSeason(deps(), 1990)).roundsWritten).toEqual([]);
  });

  test('429s with and without Retry-After, 503, dropped connections, slow and malformed answers: same database', async () => {
    await clearSeason(2021);
    fake.fail(/2021\.json/, { status: 429, retryAfter: '0' });
    fake.fail(/2021\/results\.json\?limit=100&offset=0/, { status: 429 });
    fake.fail(/2021\/results\.json\?limit=100&offset=5/, { status: 503 });
    fake.fail(/2021\/sprint/, { drop: true });
    fake.fail(/2021\/qualifying/, { delayMs: 1_000 });
    fake.fail(/2021\/qualifying/, { malformed: true });
    const client = newClient(300);
    const report = await ingestSeason(deps(client), 2021);
    expect(report.failures).toEqual([]);
    expect(client.stats).toEqual({ requests: 6 + 6, throttled: 2, retries: 6 });
    expect(await dumpSeason(database().db, 2021)).toEqual(await dumpSeason(oracle.db, 2021));
  });

  test('a run killed mid-season leaves whole rounds; a rerun completes the rest', async () => {
    await clearSeason(2021);
    const crash = ingestSeason(
      {
        ...deps(),
        afterRound: (round) => {
          if (round === 1) throw new Error('killed');
        },
      },
      2021,
    );
    await expect(crash).rejects.toThrow('killed');
    const partial = await dumpSeason(database().db, 2021);
    expect(partial.races.map((r) => r.round)).toEqual([1]);
    expect(partial.results.length).toBe(4);
    expect(partial.qualifying.length).toBe(4);

    const controller = new AbortController();
    const stopped = await ingestSeason(
      { ...deps(), signal: controller.signal, afterRound: () => controller.abort('SIGTERM') },
      2021,
    );
    expect(stopped.aborted).toBe(true);
    expect(stopped.roundsWritten).toEqual([1]);

    const resumed = await ingestSeason(deps(), 2021);
    expect(resumed.roundsWritten).toEqual([1, 2, 3]);
    expect(resumed.tables.race_results).toEqual({
      created: 4,
      updated: 0,
      deleted: 0,
      unchanged: 4,
    });
    expect(await dumpSeason(database().db, 2021)).toEqual(await dumpSeason(oracle.db, 2021));
  });
});
