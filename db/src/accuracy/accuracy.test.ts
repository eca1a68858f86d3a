import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { sql } from 'kysely';
import type { CalibrationBin } from '../schema.ts';
import { accuracyLeaderboard } from './accuracy.ts';
import { GRID_BASELINE_MODEL } from './compute.ts';

const bin = (
  event: 'win' | 'podium',
  at: number,
  predicted: number,
  observed: number,
  count: number,
) => ({ event, bin: at, predicted, observed, count }) satisfies CalibrationBin;

describeEachBackend('accuracy leaderboard calibration', (database) => {
  test("pools each model's per-race bins (count-weighted), and its baseline's over the same races", async () => {
    const { db } = database();
    const { races } = await seedMiniSeason(db);
    const row = (raceId: number, model: string, calibration: CalibrationBin[]) => ({
      race_id: raceId,
      model,
      version: '1',
      entries: 4,
      winner_hit: true,
      podium_overlap: 2,
      top10_overlap: 4,
      mean_abs_position_error: 1,
      brier_win: 0.5,
      calibration: sql<CalibrationBin[]>`${JSON.stringify(calibration)}::text::jsonb`,
      results_hash: 'h',
    });
    await db
      .insertInto('prediction_accuracy')
      .values([
        // Race 1: two win predictions in [0.1, 0.2) averaging 0.15, one of them won.
        row(races.r1, 'm', [bin('win', 0.1, 0.15, 0.5, 2), bin('podium', 0.8, 0.85, 1, 2)]),
        // Race 2: three in the same bin averaging 0.12, none won; and one in [0.4, 0.5).
        row(races.r2, 'm', [bin('win', 0.1, 0.12, 0, 3), bin('win', 0.4, 0.4, 1, 1)]),
        row(races.r1, GRID_BASELINE_MODEL, [bin('win', 0.2, 0.25, 0.25, 4)]),
        row(races.r2, GRID_BASELINE_MODEL, [bin('win', 0.2, 0.25, 0.5, 4)]),
      ])
      .execute();

    const [entry] = await accuracyLeaderboard(db, {});
    // Hand-computed: bin 0.1 pools 2 + 3 predictions: (2×0.15 + 3×0.12) / 5 = 0.132 predicted,
    // (2×0.5 + 3×0) / 5 = 0.2 observed. Win bins first, then podium; bins ascending.
    expect(entry?.races).toBe(2);
    expect(entry?.calibration).toEqual([
      { event: 'win', bin: 0.1, predicted: expect.closeTo(0.132, 12), observed: 0.2, count: 5 },
      { event: 'win', bin: 0.4, predicted: 0.4, observed: 1, count: 1 },
      { event: 'podium', bin: 0.8, predicted: 0.85, observed: 1, count: 2 },
    ]);
    expect(entry?.baseline.calibration).toEqual([
      { event: 'win', bin: 0.2, predicted: 0.25, observed: 0.375, count: 8 },
    ]);

    // A rolling window of the last race pools that race alone.
    const [last] = await accuracyLeaderboard(db, { lastRaces: 1 });
    expect(last?.calibration.map((b) => [b.bin, b.count])).toEqual([
      [0.1, 3],
      [0.4, 1],
    ]);
    await sql`DELETE FROM prediction_accuracy`.execute(db);
  });
});
