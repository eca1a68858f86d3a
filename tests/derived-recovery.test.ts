/**
 * An ingest killed right after committing its rows (before standings refresh, ratings, accuracy and
 * cache invalidation) used to lose the derived data for good: a rerun reported "0 changes" and did
 * nothing, and the server's sweep only rescored accuracy. The commit now carries a "derived data
 * pending" marker; the server's sweep and the next ingest run complete whatever it covers, and the
 * result equals a clean run's. The crash is the import's write step without its follow-ups.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import path from 'node:path';
import { ingestionChanges } from '@f1/core/changes/data-changes';
import { silentLogger } from '@f1/core/logger';
import { derivedPending } from '@f1/db/ingestion/derived-pending';
import type { DB } from '@f1/db/schema';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { recoverDerived } from '@f1/domain/changes/recovery';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { type Backend, freshDatabase, type TestDatabase, testBackends } from '@f1/testkit/postgres';
import { startServer } from '@f1/testkit/processes';
import { sharedDataDir } from '@f1/testkit/shared-data';
import { needs, testWith } from '@f1/testkit/skip';
import { type Kysely, sql } from 'kysely';

const SEASONS = [2022, 2023];
const dirs = () => [path.join(sharedDataDir(), 'ergast-csv')];
const context = (db: Kysely<DB>) => ({
  db,
  logger: silentLogger,
  changes: createProcessChanges({ db, logger: silentLogger, redis: null }).changes,
});
/** What the ingestion CLI does after its import: report the run to the pipeline. */
const afterRun = (db: Kysely<DB>, run: Parameters<typeof ingestionChanges>[0]) =>
  context(db).changes.changed(ingestionChanges(run));
/** Whether the pipeline ran the standings refresh. */
const refreshed = (report: Awaited<ReturnType<typeof afterRun>>) =>
  report.steps.some((s) => s.step === 'standings' && s.ok);

/** Everything derived from results, in a stable order. */
async function derived(db: Kysely<DB>) {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    drivers: await q('SELECT * FROM driver_standings ORDER BY season, round, driver_id'),
    teams: await q('SELECT * FROM constructor_standings ORDER BY season, round, team_id'),
    driverRatings: await q('SELECT * FROM driver_ratings ORDER BY race_id, driver_id'),
    teamRatings: await q('SELECT * FROM team_ratings ORDER BY race_id, team_id'),
    accuracy: await q(
      'SELECT race_id, model, stage, results_hash FROM prediction_accuracy ORDER BY race_id, model, stage',
    ),
  };
}

/** The crash: the import's transaction commits, the process dies before reporting it. */
async function crashedImport(db: Kysely<DB>) {
  const result = await importCsv(db, { dirs: dirs(), seasons: SEASONS });
  expect(result.changedRaces.length).toBeGreaterThan(40);
  expect(await derivedPending(db)).not.toBeNull();
  const empty = await derived(db);
  expect([empty.drivers.length, empty.driverRatings.length]).toEqual([0, 0]);
}

let clean: Awaited<ReturnType<typeof derived>>;
const opened: TestDatabase[] = [];
const open = async (backend: Backend) => {
  const database = await freshDatabase(backend);
  opened.push(database);
  return database;
};

beforeAll(async () => {
  const database = await open('pglite');
  const result = await importCsv(database.db, { dirs: dirs(), seasons: SEASONS });
  const after = await afterRun(database.db, result);
  expect(after.steps.every((s) => s.ok)).toBe(true);
  expect(await derivedPending(database.db)).toBeNull();
  clean = await derived(database.db);
  expect(clean.drivers.length).toBeGreaterThan(400);
  expect(clean.driverRatings.length).toBeGreaterThan(800);
}, 120_000);
afterAll(async () => {
  for (const database of opened) await database.close();
});

for (const backend of testBackends()) {
  describe(`derived data after a killed import [${backend}]`, () => {
    test('the server sweep completes standings, ratings and accuracy', async () => {
      const { db } = await open(backend);
      await crashedImport(db);
      const recovery = await recoverDerived(context(db));
      expect(recovery.pending).toBe(true);
      expect(await derived(db)).toEqual(clean);
      expect(await derivedPending(db)).toBeNull();
      // Nothing pending any more: a later sweep only checks accuracy.
      expect((await recoverDerived(context(db))).pending).toBe(false);
    }, 120_000);

    test('rerunning the import (0 changes) completes what the killed one left', async () => {
      const { db } = await open(backend);
      await crashedImport(db);
      const rerun = await importCsv(db, { dirs: dirs(), seasons: SEASONS });
      expect(rerun.changedRaces).toEqual([]);
      expect(rerun.totals.created + rerun.totals.updated + rerun.totals.deleted).toBe(0);
      const after = await afterRun(db, rerun);
      expect(refreshed(after)).toBe(true);
      expect(await derived(db)).toEqual(clean);
      expect(await derivedPending(db)).toBeNull();
      // And once caught up, a run that changes nothing does nothing again.
      expect(refreshed(await afterRun(db, rerun))).toBe(false);
    }, 120_000);

    test('a later import that changes other seasons also completes what the killed one left', async () => {
      const { db } = await open(backend);
      await crashedImport(db);
      // The next writer changes 2021 only; its marking stacks on the killed run's.
      const later = await importCsv(db, { dirs: dirs(), seasons: [2021] });
      expect(later.changedRaces.every((r) => r.season === 2021)).toBe(true);
      const after = await afterRun(db, later);
      expect(after.steps.every((s) => s.ok)).toBe(true);
      // The killed run's seasons are followed up too (their caches dropped), not only 2021's.
      for (const tag of ['race:2021:1', 'race:2022:1', 'standings:2022', 'race:2023:22'])
        expect(after.invalidated).toContain(tag as (typeof after.invalidated)[number]);
      expect(after.recovered).toBe(true);
      expect(await derivedPending(db)).toBeNull();
    }, 120_000);
  });
}

testWith(
  [needs.postgres],
  'a server started after the killed import serves standings and ratings',
  async () => {
    const database = await open('postgres');
    await crashedImport(database.db);
    const server = await startServer({ F1_DATABASE_URL: database.url ?? '' });
    try {
      const deadline = Date.now() + 60_000;
      while ((await derivedPending(database.db)) !== null && Date.now() < deadline)
        await Bun.sleep(100);
      const standings = await fetch(`${server.url}/api/v1/seasons/2023/standings/drivers`);
      expect(standings.status).toBe(200);
      const ratings = await fetch(`${server.url}/api/v1/ratings/drivers`);
      expect(ratings.status).toBe(200);
      expect(JSON.stringify(await ratings.json())).not.toContain('no ratings yet');
      const { accuracy: _a, ...rest } = await derived(database.db);
      const { accuracy: _c, ...expected } = clean;
      expect(rest).toEqual(expected);
    } finally {
      await server.stop();
    }
  },
  120_000,
);
