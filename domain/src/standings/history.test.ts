/**
 * The engine against the Ergast export's official tables after EVERY round of 1950–2025 (1,143 rounds):
 * points and wins exact for every competitor, positions for everyone not fully tied. The only rounds
 * allowed to differ are the listed source inconsistencies, and each of those must still differ. Also the
 * famous cases, and the baseline a plain sum with countback reaches on the same comparison.
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */

import { describe, expect, test } from 'bun:test';
import { type ExportSeason, readExportSeasons } from '@f1/testkit/official-standings';
import { findSharedDataDir } from '@f1/testkit/shared-data';
import { compareTable, isSourceInconsistency, type RoundDifference } from './compare.ts';
import { computeSeasonStandings } from './engine.ts';
import { seasonRules } from './rules.ts';
import type { SeasonRules } from './rules-types.ts';
import { SOURCE_INCONSISTENCIES } from './source-inconsistencies.ts';
import type { RoundStandings, StandingRow } from './types.ts';

const dataDir = findSharedDataDir();

/** Today's rules: every result of every car counts, no adjustments. */
const plainSum = (season: number): SeasonRules => ({
  season,
  drivers: { counting: [] },
  constructors:
    season < 1958 ? null : { scoring: { kind: 'all-cars' }, counting: [], excludedRounds: [] },
  adjustments: [],
});

function differences(seasons: readonly ExportSeason[], rules: (season: number) => SeasonRules) {
  const found: RoundDifference[] = [];
  for (const { season, rounds, official } of seasons) {
    const tables = computeSeasonStandings(rules(season), rounds);
    official.forEach((want, index) => {
      const got = tables[index];
      if (got?.round !== want.round) throw new Error(`${season}: no table for round ${want.round}`);
      const where = { season, round: want.round };
      found.push(...compareTable(got.drivers, want.drivers, { ...where, table: 'drivers' }));
      found.push(
        ...compareTable(got.constructors ?? [], want.constructors, {
          ...where,
          table: 'constructors',
        }),
      );
    });
  }
  return found;
}

const roundKeys = (found: readonly RoundDifference[], table: 'drivers' | 'constructors') =>
  [...new Set(found.filter((d) => d.table === table).map((d) => `${d.season}/${d.round}`))].sort();

if (!dataDir) {
  console.warn(
    'domain/src/standings/history.test.ts skipped: ../shared/data (or F1_TEST_DATA_DIR) with ergast-csv/ not found',
  );
  describe.skip('standings engine, every round 1950–2025 [shared data missing]', () => {});
} else {
  const seasons = readExportSeasons(dataDir);
  const bySeason = new Map<number, RoundStandings[]>(
    seasons.map((s) => [s.season, computeSeasonStandings(seasonRules(s.season), s.rounds)]),
  );
  const after = (season: number, round: number | 'last'): RoundStandings => {
    const tables = bySeason.get(season) ?? [];
    const found = round === 'last' ? tables.at(-1) : tables.find((t) => t.round === round);
    if (!found) throw new Error(`no standings for ${season} round ${round}`);
    return found;
  };
  const row = (rows: readonly StandingRow[] | null, id: string): StandingRow => {
    const found = rows?.find((r) => r.id === id);
    if (!found) throw new Error(`${id} not in the table`);
    return found;
  };

  describe('standings engine, every round 1950–2025', () => {
    test('the export holds 1,143 rounds, 1950–2025', () => {
      expect(seasons[0]?.season).toBe(1950);
      expect(seasons.at(-1)?.season).toBe(2025);
      expect(seasons.reduce((n, s) => n + s.official.length, 0)).toBe(1143);
    });

    test('every round equals the official tables, except the listed source inconsistencies', () => {
      const found = differences(seasons, seasonRules);
      expect(found.filter((d) => !isSourceInconsistency(d))).toEqual([]);
      // Each listed inconsistency is still there (a fixed export or rule must remove it from the list).
      const stale = SOURCE_INCONSISTENCIES.flatMap((s) =>
        s.rounds
          .filter(
            (round) =>
              !found.some((d) => d.season === s.season && d.table === s.table && d.round === round),
          )
          .map((round) => `${s.table} ${s.season}/${round}`),
      );
      expect(stale).toEqual([]);
      console.info(
        `standings engine: ${roundKeys(found, 'drivers').length} driver rounds and ` +
          `${roundKeys(found, 'constructors').length} constructor rounds differ, all listed source inconsistencies`,
      );
    });

    test('a plain sum with countback differs in many more rounds (the baseline)', () => {
      const found = differences(seasons, plainSum);
      const drivers = roundKeys(found, 'drivers').length;
      const constructors = roundKeys(found, 'constructors').length;
      console.info(
        `plain sum: ${drivers} driver rounds and ${constructors} constructor rounds differ`,
      );
      expect({ drivers, constructors }).toEqual({ drivers: 70, constructors: 287 });
    });

    test('all 1,143 rounds compute in well under a second', () => {
      const started = process.cpuUsage();
      for (const s of seasons) computeSeasonStandings(seasonRules(s.season), s.rounds);
      const used = process.cpuUsage(started);
      const ms = (used.user + used.system) / 1000;
      console.info(`standings engine: all rounds 1950–2025 in ${ms.toFixed(0)} ms of CPU`);
      expect(ms).toBeLessThan(1000);
    });
  });

  describe('famous cases', () => {
    test('1988: Senna champion on 90 counted points; Prost 87 counted of 105 scored', () => {
      const table = after(1988, 'last').drivers;
      expect(table.slice(0, 2).map((r) => r.id)).toEqual(['senna', 'prost']);
      expect(row(table, 'senna')).toMatchObject({
        position: 1,
        points: 90,
        grossPoints: 94,
        wins: 8,
      });
      expect(row(table, 'prost')).toMatchObject({
        position: 2,
        points: 87,
        grossPoints: 105,
        droppedPoints: 18,
        droppedRounds: [10, 11, 15],
      });
    });

    test('1964: Surtees 40, Hill 39 counted (41 scored)', () => {
      const table = after(1964, 'last').drivers;
      expect(row(table, 'surtees')).toMatchObject({ position: 1, points: 40, grossPoints: 40 });
      expect(row(table, 'hill')).toMatchObject({ position: 2, points: 39, grossPoints: 41 });
    });

    test('1958: Vanwall the first constructors’ champion; none before 1958', () => {
      const table = after(1958, 'last').constructors;
      expect(table?.[0]).toMatchObject({ id: 'vanwall', position: 1, points: 48 });
      expect(row(table, 'ferrari')).toMatchObject({ position: 2, points: 40 });
      for (const season of [1950, 1957]) expect(after(season, 'last').constructors).toBeNull();
    });

    test('1958–1960: the Indianapolis 500 is excluded from the constructors’ table', () => {
      for (const s of seasons.filter((x) => x.season >= 1958 && x.season <= 1960)) {
        const indy = s.official
          .filter((r) => r.raceName === 'Indianapolis 500')
          .map((r) => r.round);
        expect(seasonRules(s.season).constructors?.excludedRounds).toEqual(indy);
      }
      // Epperly won the 1958 race; it has no line in the constructors' table.
      expect(after(1958, 'last').constructors?.some((r) => r.id === 'epperly')).toBe(false);
    });

    test('1997: Schumacher excluded after the last round (D, last, his 78 points shown)', () => {
      const last = after(1997, 'last').drivers;
      expect(last.at(-1)).toMatchObject({
        id: 'michael_schumacher',
        positionText: 'D',
        points: 78,
        wins: 5,
      });
      expect(last[0]).toMatchObject({ id: 'villeneuve', position: 1, positionText: '1' });
      expect(row(after(1997, 16).drivers, 'michael_schumacher')).toMatchObject({
        position: 1,
        positionText: '1',
      });
    });

    test('2007: McLaren excluded from the constructors’ table (E, 0 points, 218 scored)', () => {
      for (const tables of bySeason.get(2007) ?? []) {
        expect(tables.constructors?.at(-1)).toMatchObject({
          id: 'mclaren',
          positionText: 'E',
          points: 0,
        });
      }
      expect(row(after(2007, 'last').constructors, 'mclaren').grossPoints).toBe(218);
      expect(after(2007, 'last').constructors?.[0]).toMatchObject({ id: 'ferrari', points: 204 });
    });

    test('2018: Force India’s points restart with the new entrant at round 13', () => {
      expect(row(after(2018, 12).constructors, 'force_india').points).toBe(59);
      expect(row(after(2018, 13).constructors, 'force_india').points).toBe(18);
      expect(row(after(2018, 'last').constructors, 'force_india').points).toBe(52);
    });

    test('2020: Racing Point −15 from round 5', () => {
      expect(row(after(2020, 4).constructors, 'racing_point')).toMatchObject({
        points: 42,
        adjustmentPoints: 0,
      });
      expect(row(after(2020, 5).constructors, 'racing_point')).toMatchObject({
        points: 41,
        adjustmentPoints: -15,
      });
      expect(row(after(2020, 'last').constructors, 'racing_point')).toMatchObject({
        position: 4,
        points: 195,
        grossPoints: 210,
      });
    });

    test('2021: half points of Belgium (round 12) unchanged', () => {
      const before = after(2021, 11).drivers;
      const belgium = after(2021, 12).drivers;
      const gained = (id: string) => row(belgium, id).points - row(before, id).points;
      expect([gained('max_verstappen'), gained('russell'), gained('hamilton')]).toEqual([
        12.5, 9, 7.5,
      ]);
      expect(row(belgium, 'max_verstappen')).toMatchObject({ points: 199.5, wins: 6 });
      const table = after(2021, 'last').drivers;
      expect(row(table, 'max_verstappen')).toMatchObject({ position: 1, points: 395.5 });
      expect(row(table, 'hamilton')).toMatchObject({ position: 2, points: 387.5 });
    });
  });
}
