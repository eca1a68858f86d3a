import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { type Kysely, sql } from 'kysely';
import { computeRaceAccuracy, GRID_BASELINE_MODEL } from '../accuracy/compute.ts';
import type { DB } from '../schema.ts';
import { type PredictionSetInput, submitAndScorePredictionSets } from './submit.ts';

/** Every stored accuracy figure, in a stable order (ids and timestamps left out). */
async function accuracySnapshot(db: Kysely<DB>) {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT race_id, set_id, model, version, backtest, stage, entries, winner_hit, podium_overlap,
      top10_overlap, mean_abs_position_error, spearman_rho, brier_win, brier_podium, log_loss_win,
      calibration::text AS calibration, results_hash
    FROM prediction_accuracy ORDER BY race_id, model, version, backtest, stage`.execute(db);
  return rows;
}

const set = (
  round: number,
  model: string,
  order: string[],
  win: number[],
  podium: number[],
): PredictionSetInput => ({
  season: 2021,
  round,
  model,
  version: '1',
  backtest: true,
  entries: order.map((driver, i) => ({
    driverId: `driver_${driver}`,
    predictedPosition: i + 1,
    winProbability: win[i] ?? 0,
    podiumProbability: podium[i] ?? 0,
  })),
});

describeEachBackend('a submission scores from the sets in memory', (database) => {
  // The submission path builds the new sets' rows from the request (the entries are never read
  // back) next to the other current sets, read from the database. A full recompute from the
  // stored rows must reproduce every figure exactly.
  test('its accuracy rows equal a recompute from the stored sets, superseded sets left out', async () => {
    const { db } = database();
    const { races } = await seedMiniSeason(db);
    const by = { submittedBy: 'key:1' };
    await submitAndScorePredictionSets(
      db,
      [
        set(1, 'm1', ['a', 'b', 'c', 'd'], [0.4, 0.3, 0.2, 0.1], [0.9, 0.8, 0.75, 0.55]),
        set(2, 'm1', ['b', 'c', 'a', 'd'], [0.37, 0.33, 0.2, 0.1], [0.9, 0.85, 0.75, 0.5]),
      ],
      by,
    );
    await submitAndScorePredictionSets(
      db,
      [set(1, 'm2', ['c', 'a', 'd', 'b'], [0.7, 0.1, 0.1, 0.1], [1, 0.7, 0.7, 0.6])],
      by,
    );
    // A bulk that replaces m1 in both races, next to a new model and m2 left as it is.
    const outcome = await submitAndScorePredictionSets(
      db,
      [
        set(1, 'm1', ['b', 'a', 'c', 'd'], [0.35, 0.35, 0.2, 0.1], [0.85, 0.85, 0.8, 0.5]),
        set(2, 'm1', ['c', 'b', 'a', 'd'], [0.3, 0.3, 0.3, 0.1], [0.8, 0.8, 0.8, 0.6]),
        set(2, 'm3', ['a', 'b', 'c', 'd'], [0.25, 0.25, 0.25, 0.25], [0.75, 0.75, 0.75, 0.75]),
      ],
      by,
    );
    expect(outcome.sets.map((s) => s.status)).toEqual(['replaced', 'replaced', 'created']);
    const models = (raceId: number) =>
      outcome.accuracy
        .filter((a) => a.raceId === raceId)
        .map((a) => a.model)
        .sort();
    expect(models(races.r1)).toEqual([GRID_BASELINE_MODEL, 'm1', 'm2']);
    expect(models(races.r2)).toEqual([GRID_BASELINE_MODEL, 'm1', 'm3']);

    const stored = await accuracySnapshot(db);
    const current = await sql<{ id: number }>`
      SELECT id FROM prediction_sets WHERE superseded_at IS NULL ORDER BY id`.execute(db);
    // One row per current set plus one grid-baseline row per race; none for the superseded sets.
    expect(stored.map((r) => r.set_id).filter((id) => id !== null)).toHaveLength(4);
    expect(
      stored
        .map((r) => Number(r.set_id))
        .filter((id) => id > 0)
        .sort((a, b) => a - b),
    ).toEqual(current.rows.map((r) => r.id));
    expect(stored.every((r) => Number.isFinite(Number(r.brier_win)))).toBe(true);

    await computeRaceAccuracy(db, [races.r1, races.r2]);
    expect(await accuracySnapshot(db)).toEqual(stored);
  });
});
