/**
 * Accuracy recomputation for races whose results changed (or, from the CLI, for every race): score
 * every current prediction set and the grid baseline, then invalidate the races' cached predictions and
 * tell live subscribers their accuracy changed.
 */
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import type { HookContext } from '../changes/hooks.ts';
import { notifyPredictionsChanged } from '../predictions/submit.ts';

/** Recomputes accuracy for `raceIds` in chunks (the CLI passes all 1,100+ races); returns rows stored. */
export async function recomputeAccuracy(context: HookContext, raceIds: number[]): Promise<number> {
  let stored = 0;
  for (let i = 0; i < raceIds.length; i += 200) {
    const rows = await computeRaceAccuracy(context.db, raceIds.slice(i, i + 200));
    stored += rows.length;
    // One update per race is enough for subscribers: they refetch the race's accuracy.
    const races = [...new Map(rows.map((r) => [r.raceId, r])).values()];
    await notifyPredictionsChanged(
      context,
      races.map((r) => ({
        season: r.season,
        round: r.round,
        model: null,
        version: null,
        backtest: false,
      })),
      'accuracy',
    );
  }
  return stored;
}
