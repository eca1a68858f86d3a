/**
 * Fixtures for prediction tests: the mini season (two past rounds with results) plus two future rounds,
 * one before qualifying (entry list = the previous race's field, provisionally) and one after it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '../test-fixtures.ts';
import type { PredictionEntryInput } from './entries.ts';

export const FIELD = ['driver_a', 'driver_b', 'driver_c', 'driver_d'] as const;

export interface PredictionFixture extends MiniSeason {
  /** Round 3 (no qualifying yet) and round 4 (qualified: D, C, B, A), both starting `future`. */
  upcoming: { r3: number; r4: number };
  future: Date;
}

export async function seedPredictionRaces(db: Kysely<DB>): Promise<PredictionFixture> {
  const mini = await seedMiniSeason(db);
  const future = new Date(Date.now() + 7 * 86_400_000);
  const day = future.toISOString().slice(0, 10);
  const [r3, r4] = await db
    .insertInto('races')
    .values(
      [3, 4].map((round) => ({
        season: MINI_SEASON,
        round,
        circuit_id: mini.circuitId,
        name: `Round ${round} GP`,
        date: day,
        starts_at: future,
      })),
    )
    .returning('id')
    .execute();
  if (!r3 || !r4) throw new Error('seed failed');
  const { a, b, c, d } = mini.drivers;
  await db
    .insertInto('qualifying_results')
    .values(
      [d, c, b, a].map((driver, i) => ({ race_id: r4.id, driver_id: driver, position: i + 1 })),
    )
    .execute();
  return { ...mini, upcoming: { r3: r3.id, r4: r4.id }, future };
}

/** A valid prediction for `drivers` in that order: win 0.4/0.3/0.2/0.1, podium 0.9/0.8/0.7/0.6. */
export function entriesFor(drivers: readonly string[] = FIELD, shift = 0): PredictionEntryInput[] {
  const win = [0.4, 0.3, 0.2, 0.1];
  const podium = [0.9, 0.8, 0.7, 0.6];
  return drivers.map((driverId, i) => ({
    driverId,
    predictedPosition: i + 1,
    winProbability: (win[i] ?? 0) + (i === 0 ? shift : i === 1 ? -shift : 0),
    podiumProbability: podium[i] ?? 0,
  }));
}
