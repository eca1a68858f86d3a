/**
 * The whole Ergast CSV export (1950–2024, plus the 2025 extension) imported into a fresh database, then
 * our standings checked season by season against the export's own `driver_standings.csv` and
 * `constructor_standings.csv` at each season's last round.
 *
 * Our standings are plain sums (race + sprint points, countback for ties). The seasons where the
 * official tables follow other rules are listed below AND in the README ("Historical standings"); the
 * test fails if the measured list drifts from the documented one in either direction.
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { expect, test } from 'bun:test';
import path from 'node:path';
import { seasonStandings } from '@f1/db/standings/refresh';
import { compareStandings, type StandingDifference } from '@f1/jobs/validate/compare-standings';
import { readCsvFinalStandings } from '@f1/jobs/validate/csv-standings';
import { describeEachBackend } from '@f1/testkit/backends';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Drivers' points differ: best-N-results rules (to 1990) and shared drives' split points (1950s). */
const DRIVER_POINTS_DIFFER = [...range(1950, 1967), 1979, 1980, ...range(1985, 1990)];
/**
 * Constructors' points differ: 1958–1978 only the best-placed car scored (and best-N rules applied),
 * 2018 Force India's points were forfeited at its mid-season change of entrant, 2020 Racing Point lost
 * 15 points to a penalty.
 */
const CONSTRUCTOR_POINTS_DIFFER = [...range(1958, 1978), 2018, 2020];
/**
 * Same points, different order among points scorers: 1997 Schumacher excluded from the championship,
 * 2007 McLaren excluded from the constructors' championship, 1970/1982 ties the official table
 * breaks otherwise than by a countback of the exported results.
 */
const DRIVER_ORDER_DIFFERS = [1970, 1982, 1997];
const CONSTRUCTOR_ORDER_DIFFERS = [2007];

const dataDir = findSharedDataDir();

if (!dataDir) {
  skipSuite('CSV import of the whole history', SHARED_DATA_MISSING);
} else {
  const official = readCsvFinalStandings(path.join(dataDir, 'ergast-csv'));

  describeEachBackend('CSV import of the whole history', (database) => {
    test('imports 1950–2025 once; a second run changes nothing', async () => {
      const db = database().db;
      const first = await loadCsvSeasons(db);
      expect(first.totals.created).toBe(first.rows);
      expect(first.changedSeasons).toEqual(range(1950, 2025));
      expect(first.tables.race_results.created).toBe(26_759 + 359);
      const second = await loadCsvSeasons(db);
      expect(second.totals).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: first.rows });
    }, 60_000);

    test('2021–2024 standings equal the official ones exactly (half points included)', async () => {
      for (const season of range(2021, 2024)) {
        const ours = await seasonStandings(database().db, { season });
        const theirs = official.get(season);
        expect(ours.round).toBe(theirs?.round ?? -1);
        expect(compareStandings('drivers', ours.drivers, theirs?.drivers ?? [])).toEqual([]);
        expect(
          compareStandings('constructors', ours.constructors, theirs?.constructors ?? []),
        ).toEqual([]);
      }
      const belgium2021 = await database()
        .db.selectFrom('race_results as r')
        .innerJoin('races as ra', 'ra.id', 'r.race_id')
        .innerJoin('drivers as d', 'd.id', 'r.driver_id')
        .select(['d.driver_ref', 'r.points'])
        .where('ra.season', '=', 2021)
        .where('ra.name', '=', 'Belgian Grand Prix')
        .where('r.position', '=', 1)
        .executeTakeFirstOrThrow();
      expect(belgium2021).toEqual({ driver_ref: 'max_verstappen', points: 12.5 });
    });

    test('every season: points are plain sums except in the documented seasons', async () => {
      const differs = { driverPoints: [] as number[], constructorPoints: [] as number[] };
      const order = { drivers: [] as number[], constructors: [] as number[] };
      const wins: StandingDifference[] = [];
      for (const [season, theirs] of [...official].sort((a, b) => a[0] - b[0])) {
        const ours = await seasonStandings(database().db, { season, round: theirs.round });
        for (const kind of ['drivers', 'constructors'] as const) {
          if (theirs[kind].length === 0) continue; // no constructors' championship before 1958
          const d = compareStandings(kind, ours[kind], theirs[kind]);
          const scored = new Set(
            theirs[kind].filter((row) => row.points > 0).map((row) => row.ref),
          );
          wins.push(...d.filter((x) => x.field === 'wins'));
          if (d.some((x) => x.field === 'points')) {
            (kind === 'drivers' ? differs.driverPoints : differs.constructorPoints).push(season);
          } else if (d.some((x) => x.field === 'position' && scored.has(x.ref))) {
            order[kind].push(season);
          }
        }
      }
      expect(differs.driverPoints).toEqual(DRIVER_POINTS_DIFFER);
      expect(differs.constructorPoints).toEqual(CONSTRUCTOR_POINTS_DIFFER);
      expect(order.drivers).toEqual(DRIVER_ORDER_DIFFERS);
      expect(order.constructors).toEqual(CONSTRUCTOR_ORDER_DIFFERS);
      expect(wins).toEqual([]);
    });
  });
}
