/**
 * The whole Ergast CSV export (1950–2024, plus the 2025 extension) imported into a fresh database per
 * back end, its standings computed by the rules engine and stored (domain `refreshStandings`), then:
 * the stored tables after EVERY round equal the engine's on the export itself; `validate --all --csv`
 * finds only the documented source inconsistencies; the named historic cases hold in the stored rows
 * and through the API (tRPC and REST); a full recompute is timed; an ingested round recomputes only its
 * season. One loaded database per back end, shared by the tests.
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '@f1/core/logger';
import { storedSeasonTables } from '@f1/db/standings/refresh';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { computeSeasonStandings } from '@f1/domain/standings/engine';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { seasonRules } from '@f1/domain/standings/rules';
import { importCsvCommand } from '@f1/jobs/cli/import-csv-command';
import { parseInvocation } from '@f1/jobs/cli/invocation';
import type { Progress } from '@f1/jobs/cli/progress';
import { validateCommand } from '@f1/jobs/cli/validate-command';
import type { JobContext } from '@f1/jobs/context';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { testConfig } from '@f1/testkit/config';
import { errorOf } from '@f1/testkit/errors';
import { jsonBody } from '@f1/testkit/http';
import { readExportSeasons } from '@f1/testkit/official-standings';
import type { TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { sql } from 'kysely';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const dataDir = findSharedDataDir();

/** A job context over the test database (no Redis), collecting what the command prints. */
function jobContext(database: TestDatabase): JobContext {
  return {
    config: testConfig(),
    database,
    db: database.db,
    redis: null,
    logger: silentLogger,
    changes: createProcessChanges({ db: database.db, logger: silentLogger, redis: null }).changes,
    close: async () => {},
  };
}

function collectingProgress() {
  const lines: string[] = [];
  const progress: Progress = {
    start: () => {},
    tick: () => {},
    log: (line: string) => void lines.push(line),
    done: () => {},
  };
  return { lines, progress };
}

if (!dataDir) {
  skipSuite('CSV import of the whole history', SHARED_DATA_MISSING);
} else {
  const exportSeasons = readExportSeasons(dataDir);

  describeEachBackend('CSV import of the whole history', (database, backend) => {
    const db = () => database().db;
    const table = async (season: number, round: number | 'last') => {
      const tables = await storedSeasonTables(db(), season);
      const found = round === 'last' ? tables.at(-1) : tables.find((t) => t.round === round);
      if (!found) throw new Error(`no stored standings for ${season} round ${round}`);
      return found;
    };
    const row = <T extends { id: string }>(rows: readonly T[], id: string): T => {
      const found = rows.find((r) => r.id === id);
      if (!found) throw new Error(`${id} not in the table`);
      return found;
    };

    test('imports 1950–2025 once; a second run changes nothing', async () => {
      const first = await loadCsvSeasons(db());
      expect(first.totals.created).toBe(first.rows);
      expect(first.changedSeasons).toEqual(range(1950, 2025));
      expect(first.tables.race_results.created).toBe(26_759 + 359);
      // seasons.csv of the 1950–2024 export; the 2025 extension has none (its url stays absent).
      expect(first.tables.seasons.created).toBe(75);
      const pages = await db()
        .selectFrom('seasons')
        .select(['year', 'url'])
        .orderBy('year')
        .execute();
      expect(pages.map((p) => p.year)).toEqual(range(1950, 2024));
      expect(pages.every((p) => p.url?.startsWith('http'))).toBe(true);
      const second = await loadCsvSeasons(db());
      expect(second.totals).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: first.rows });
    }, 120_000);

    test('a full recompute of 1950–2025 (timed)', async () => {
      const started = performance.now();
      const refreshed = await refreshStandings(db());
      const ms = performance.now() - started;
      console.info(
        `standings: full recompute of 1950–2025 on ${backend} in ${ms.toFixed(0)} ms ` +
          `(${refreshed.driverRows} driver rows, ${refreshed.constructorRows} constructor rows)`,
      );
      expect(refreshed.seasons).toEqual(range(1950, 2025));
      // The target is under 5 s on PostgreSQL; the bound leaves room for a loaded CI machine.
      expect(ms).toBeLessThan(backend === 'postgres' ? 10_000 : 60_000);
    }, 120_000);

    test('the stored tables after every round equal the engine’s on the export', async () => {
      const byId = <T extends { id: string }>(rows: readonly T[]) =>
        [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      let rounds = 0;
      for (const s of exportSeasons) {
        const stored = await storedSeasonTables(db(), s.season);
        const computed = computeSeasonStandings(seasonRules(s.season), s.rounds);
        expect(stored.map((t) => t.round)).toEqual(computed.map((t) => t.round));
        computed.forEach((want, i) => {
          const got = stored[i];
          expect(byId(got?.drivers ?? [])).toEqual(byId(want.drivers));
          expect(byId(got?.constructors ?? [])).toEqual(byId(want.constructors ?? []));
          rounds++;
        });
      }
      expect(rounds).toBe(1143);
    }, 120_000);

    test('validate --all --csv: only documented source inconsistencies, so it passes', async () => {
      const context = jobContext(database());
      const outcomes: { ok: boolean; lines: string[] }[] = [];
      for (const dir of ['ergast-csv', 'ergast-csv-2025']) {
        const csv = path.join(dataDir, dir);
        if (!existsSync(path.join(csv, 'races.csv'))) continue;
        const { lines, progress } = collectingProgress();
        const invocation = parseInvocation(['validate', '--all', '--csv', csv]);
        const result = await validateCommand(context, invocation, progress);
        outcomes.push({ ok: result.ok, lines });
      }
      const lines = outcomes.flatMap((o) => o.lines);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const differences = lines.filter((l) => / round \d+ (drivers|constructors) /.test(l));
      expect(differences.length).toBeGreaterThan(0);
      expect(differences.filter((l) => !l.endsWith('(documented source inconsistency)'))).toEqual(
        [],
      );
      expect(lines).toContain(
        '1988: standings after all 16 round(s) equal the official ones (808 rows)',
      );
    }, 120_000);

    test('validate fails (not ok) on a difference that is not documented', async () => {
      await sql`UPDATE driver_standings SET points = points + 1
        WHERE season = 1988 AND round = 16
          AND driver_id = (SELECT id FROM drivers WHERE driver_ref = 'senna')`.execute(db());
      const { lines, progress } = collectingProgress();
      const csv = path.join(dataDir, 'ergast-csv');
      const result = await validateCommand(
        jobContext(database()),
        parseInvocation(['validate', '1988', '--csv', csv]),
        progress,
      );
      expect(result.ok).toBe(false);
      expect(lines).toContain('1988 round 16 drivers senna: points 91, official 90');
      await refreshStandings(db(), [1988]);
    }, 60_000);

    test('named cases in the stored standings', async () => {
      const y1988 = (await table(1988, 'last')).drivers;
      expect(y1988.slice(0, 2).map((r) => r.id)).toEqual(['senna', 'prost']);
      expect(row(y1988, 'senna')).toMatchObject({ position: 1, points: 90, grossPoints: 94 });
      expect(row(y1988, 'prost')).toMatchObject({
        position: 2,
        points: 87,
        grossPoints: 105,
        droppedPoints: 18,
        droppedRounds: [10, 11, 15],
      });
      const y1964 = (await table(1964, 'last')).drivers;
      expect(row(y1964, 'surtees')).toMatchObject({ position: 1, points: 40 });
      expect(row(y1964, 'hill')).toMatchObject({ position: 2, points: 39, grossPoints: 41 });
      expect((await table(1958, 'last')).constructors[0]).toMatchObject({
        id: 'vanwall',
        position: 1,
        points: 48,
      });
      for (const season of range(1950, 1957)) {
        expect((await table(season, 'last')).constructors).toEqual([]);
      }
      expect((await table(1997, 'last')).drivers.at(-1)).toMatchObject({
        id: 'michael_schumacher',
        positionText: 'D',
        points: 78,
      });
      expect((await table(2007, 'last')).constructors.at(-1)).toMatchObject({
        id: 'mclaren',
        positionText: 'E',
        points: 0,
        grossPoints: 218,
      });
      expect(row((await table(2020, 5)).constructors, 'racing_point')).toMatchObject({
        points: 41,
        adjustmentPoints: -15,
      });
      const belgium = (await table(2021, 12)).drivers;
      expect(row(belgium, 'max_verstappen')).toMatchObject({ points: 199.5, wins: 6 });
      expect(row((await table(2021, 'last')).drivers, 'max_verstappen')).toMatchObject({
        position: 1,
        points: 395.5,
      });
    });

    test('through the API: 1988 on tRPC and REST; no constructors’ standings before 1958', async () => {
      const services = testServices({ database: database() });
      const caller = callerFor(services);
      const drivers = await caller.standings.drivers({ season: 1988 });
      expect(drivers.round).toBe(16);
      expect(drivers.rows[1]).toMatchObject({
        position: 2,
        positionText: '2',
        points: 87,
        pointsScored: 105,
        droppedPoints: 18,
        droppedRounds: [10, 11, 15],
        adjustmentPoints: 0,
        tied: false,
        driver: { driverId: 'prost' },
      });
      const app = testApp(services);
      const res = await app.handle(
        new Request('http://test.local/api/v1/seasons/2007/standings/constructors'),
      );
      expect(res.status).toBe(200);
      const body = await jsonBody<{ rows: { positionText: string; points: number }[] }>(res);
      expect(body.rows.at(-1)).toMatchObject({ positionText: 'E', points: 0, pointsScored: 218 });
      for (const season of [1950, 1957]) {
        expect(await errorOf(() => caller.standings.constructors({ season }))).toEqual({
          code: 'NOT_FOUND',
          message: `constructors' standings for season ${season} not found: there was no constructors' championship before 1958`,
        });
      }
      const rest = await app.handle(
        new Request('http://test.local/api/v1/seasons/1957/standings/constructors'),
      );
      expect(rest.status).toBe(404);
      expect(await rest.text()).toContain("no constructors' championship before 1958");
      expect((await caller.standings.constructors({ season: 1958 })).rows[0]).toMatchObject({
        team: { teamId: 'vanwall' },
        points: 48,
      });
    });

    test('an ingested round recomputes its season only', async () => {
      // xmin names the transaction that wrote a row version: rewritten rows get a new one.
      const versions = (season: number) =>
        sql<{ xmin: string }>`SELECT xmin::text AS xmin FROM driver_standings
          WHERE season = ${season} ORDER BY round, driver_id`
          .execute(db())
          .then((r) => r.rows.map((x) => x.xmin));
      const before = { y2020: await versions(2020), y2021: await versions(2021) };
      await sql`DELETE FROM race_results WHERE race_id =
        (SELECT id FROM races WHERE season = 2021 AND round = 12)`.execute(db());
      const { progress } = collectingProgress();
      const result = await importCsvCommand(
        jobContext(database()),
        parseInvocation(['import-csv', path.join(dataDir, 'ergast-csv'), '--seasons', '2021']),
        progress,
      );
      expect(result.ok).toBe(true);
      expect(result.summary.tables?.race_results?.created).toBe(20);
      const after = { y2020: await versions(2020), y2021: await versions(2021) };
      expect(after.y2020).toEqual(before.y2020);
      expect(after.y2021.length).toBe(before.y2021.length);
      expect(after.y2021.some((x, i) => x === before.y2021[i])).toBe(false);
      expect(row((await table(2021, 12)).drivers, 'max_verstappen').points).toBe(199.5);
    }, 60_000);
  });
}
