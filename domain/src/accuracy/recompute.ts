/**
 * Accuracy scoring of whole races (every current prediction set and the grid baseline), in chunks:
 * the data-change pipeline runs it for races whose results changed, the backtest store for the races
 * it submitted to. It only writes; telling caches and subscribers is the pipeline's.
 */
import type { PredictionKey } from '@f1/core/changes/data-changes';
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export interface ScoredAccuracy {
  /** Accuracy rows stored. */
  rows: number;
  /** One whole-race key (`model` null) per race scored: subscribers refetch the race's accuracy. */
  races: PredictionKey[];
}

/** Scores `raceIds` in chunks of 200 (a full backtest passes 1,100+ races). */
export async function scoreAccuracy(db: Kysely<DB>, raceIds: number[]): Promise<ScoredAccuracy> {
  const scored: ScoredAccuracy = { rows: 0, races: [] };
  for (let i = 0; i < raceIds.length; i += 200) {
    const rows = await computeRaceAccuracy(db, raceIds.slice(i, i + 200));
    scored.rows += rows.length;
    for (const r of new Map(rows.map((row) => [row.raceId, row])).values()) {
      scored.races.push({
        season: r.season,
        round: r.round,
        model: null,
        version: null,
        backtest: false,
      });
    }
  }
  return scored;
}
