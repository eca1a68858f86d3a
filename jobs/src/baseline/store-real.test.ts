/**
 * `bun run backtest 2023 2024` on the real 2023 and 2024 seasons of the shared export, stored: every
 * elo-baseline set (v1 and v2, before and after qualifying) passes the submission rules — win sums to 1,
 * podium to 3, each podium in [win, 1]. Only these two seasons are loaded, so the models start cold;
 * before the podium normalisation took P(podium) ≥ P(win) into account, v2's 2024 round 14
 * post-qualifying set summed to 3.0408 (a fragile favourite's podium raised to his win probability after
 * normalising) and the whole store was refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { runBacktest } from './cli.ts';

if (!findSharedDataDir()) {
  skipSuite('backtest 2023–2024 stored on real data', SHARED_DATA_MISSING);
} else {
  let database: TestDatabase;
  let code: number;
  let text = '';

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db, { seasons: [2023, 2024] });
    const db = database.db;
    const open = async () => ({
      db,
      logger: silentLogger,
      changes: createProcessChanges({ db, logger: silentLogger, redis: null }).changes,
      close: async () => {},
    });
    code = await runBacktest(
      ['2023', '2024'],
      (t) => {
        text += t;
      },
      open,
    );
  }, 180_000);
  afterAll(() => database?.close());

  describe('backtest 2023–2024 stored on real data', () => {
    test('stores four sets for each of the 46 races, one entry per entered driver', async () => {
      expect(code).toBe(0);
      expect(text).toContain('scored 46');
      expect(text).toContain('stored 184 elo-baseline backtest sets (184 new or changed)');
      const sets = await sql<{ version: string; stage: string; sets: number; entries: number }>`
        SELECT version, stage, count(*)::int AS sets, sum(entry_count)::int AS entries
        FROM prediction_sets WHERE model = 'elo-baseline' AND backtest AND superseded_at IS NULL
        GROUP BY version, stage ORDER BY version, stage`.execute(database.db);
      const field = await sql<{ n: number }>`
        SELECT count(DISTINCT (r.race_id, r.driver_id))::int AS n FROM race_results r
        JOIN races ra ON ra.id = r.race_id WHERE ra.season BETWEEN 2023 AND 2024`.execute(
        database.db,
      );
      const entered = field.rows[0]?.n ?? 0;
      expect(entered).toBe(919);
      expect(sets.rows).toEqual(
        ['1', '2'].flatMap((version) =>
          ['post_qualifying', 'pre_qualifying'].map((stage) => ({
            version,
            stage,
            sets: 46,
            entries: entered,
          })),
        ),
      );
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM predictions`.execute(
        database.db,
      );
      expect(rows.rows[0]?.n).toBe(4 * entered);
    });

    test('every stored set is a valid distribution', async () => {
      const sums = await sql<{
        win: number;
        podium: number;
        n: number;
        belowWin: number;
        aboveOne: number;
      }>`
        SELECT sum(p.win_probability)::float8 AS win, sum(p.podium_probability)::float8 AS podium,
          count(*)::int AS n,
          count(*) FILTER (WHERE p.podium_probability < p.win_probability)::int AS "belowWin",
          count(*) FILTER (WHERE p.podium_probability > 1 OR p.win_probability < 0)::int AS "aboveOne"
        FROM predictions p JOIN prediction_sets s ON s.id = p.set_id
        WHERE s.model = 'elo-baseline' AND s.backtest GROUP BY s.id`.execute(database.db);
      expect(sums.rows).toHaveLength(184);
      for (const set of sums.rows) {
        expect(Math.abs(set.win - 1)).toBeLessThan(1e-4);
        expect(Math.abs(set.podium - Math.min(3, set.n))).toBeLessThan(1e-4);
        expect(set.belowWin).toBe(0);
        expect(set.aboveOne).toBe(0);
      }
    });
  });
}
