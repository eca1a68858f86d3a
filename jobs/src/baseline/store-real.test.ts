/**
 * `bun run backtest 2023 2024` on the real 2023 and 2024 seasons of the shared export, stored: every
 * elo-baseline set (v1 and v2, before and after qualifying) passes the submission rules — win sums to 1,
 * podium to 3, each podium in [win, 1]. Only these two seasons are loaded, so the models start cold;
 * before the podium normalisation took P(podium) ≥ P(win) into account, v2's 2024 round 14
 * post-qualifying set summed to 3.0408 (a fragile favourite's podium raised to his win probability after
 * normalising) and the whole store was refused. The same happened with the full history on 1955
 * (v2's round 6 pre-qualifying set summed to 3.1088): seasons 1950–1955 are all a 1955 backtest reads.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { runBacktest } from './cli.ts';

interface Case {
  name: string;
  seasons: number[];
  from: number;
  to: number;
  races: number;
  /** Σ field sizes over the scored races (entries per stored set kind). */
  entered: number;
}

const CASES: Case[] = [
  {
    name: '2023–2024, cold start',
    seasons: [2023, 2024],
    from: 2023,
    to: 2024,
    races: 46,
    entered: 919,
  },
  {
    name: '1955, history from 1950',
    seasons: [1950, 1951, 1952, 1953, 1954, 1955],
    from: 1955,
    to: 1955,
    races: 7,
    entered: 162,
  },
];

function backtestSuite(c: Case) {
  describe(`backtest ${c.name}, stored, on real data`, () => {
    let database: TestDatabase;
    let code: number;
    let text = '';

    beforeAll(async () => {
      database = await freshDatabase(preferredBackend());
      await loadCsvSeasons(database.db, { seasons: c.seasons });
      const db = database.db;
      const open = async () => ({
        db,
        logger: silentLogger,
        changes: createProcessChanges({ db, logger: silentLogger, redis: null }).changes,
        close: async () => {},
      });
      code = await runBacktest(
        [String(c.from), String(c.to)],
        (t) => {
          text += t;
        },
        open,
      );
    }, 180_000);
    afterAll(() => database?.close());

    test(`stores four sets for each of the ${c.races} races, one entry per entered driver`, async () => {
      expect(code).toBe(0);
      expect(text).toContain(`scored ${c.races}`);
      const sets = c.races * 4;
      expect(text).toContain(`stored ${sets} elo-baseline backtest sets (${sets} new or changed)`);
      const kinds = await sql<{ version: string; stage: string; sets: number; entries: number }>`
        SELECT version, stage, count(*)::int AS sets, sum(entry_count)::int AS entries
        FROM prediction_sets WHERE model = 'elo-baseline' AND backtest AND superseded_at IS NULL
        GROUP BY version, stage ORDER BY version, stage`.execute(database.db);
      const field = await sql<{ n: number }>`
        SELECT count(DISTINCT (r.race_id, r.driver_id))::int AS n FROM race_results r
        JOIN races ra ON ra.id = r.race_id WHERE ra.season BETWEEN ${c.from} AND ${c.to}`.execute(
        database.db,
      );
      expect(field.rows[0]?.n).toBe(c.entered);
      expect(kinds.rows).toEqual(
        ['1', '2'].flatMap((version) =>
          ['post_qualifying', 'pre_qualifying'].map((stage) => ({
            version,
            stage,
            sets: c.races,
            entries: c.entered,
          })),
        ),
      );
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM predictions`.execute(
        database.db,
      );
      expect(rows.rows[0]?.n).toBe(4 * c.entered);
    });

    test('every stored set is a valid distribution', async () => {
      const sums = await sql<{
        win: number;
        podium: number;
        n: number;
        belowWin: number;
        outside: number;
      }>`
        SELECT sum(p.win_probability)::float8 AS win, sum(p.podium_probability)::float8 AS podium,
          count(*)::int AS n,
          count(*) FILTER (WHERE p.podium_probability < p.win_probability)::int AS "belowWin",
          count(*) FILTER (WHERE p.podium_probability > 1 OR p.win_probability < 0)::int AS outside
        FROM predictions p JOIN prediction_sets s ON s.id = p.set_id
        WHERE s.model = 'elo-baseline' AND s.backtest GROUP BY s.id`.execute(database.db);
      expect(sums.rows).toHaveLength(c.races * 4);
      for (const set of sums.rows) {
        expect(Math.abs(set.win - 1)).toBeLessThan(1e-4);
        expect(Math.abs(set.podium - Math.min(3, set.n))).toBeLessThan(1e-4);
        expect(set.belowWin).toBe(0);
        expect(set.outside).toBe(0);
      }
    });
  });
}

if (!findSharedDataDir()) {
  skipSuite('backtest stored on real data', SHARED_DATA_MISSING);
} else {
  for (const c of CASES) backtestSuite(c);
}
