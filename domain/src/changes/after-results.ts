/**
 * What must follow any change to race results, in order: ratings (every later rating depends on the
 * changed race, so the whole history is replayed — a second or two), accuracy of the changed races
 * (their predictions and the grid baseline), then the `elo-baseline` prediction of the next race from
 * the new ratings. Registered on the ingestion "results changed" hook.
 */

import { recomputeAccuracy } from '../accuracy/recompute.ts';
import { predictNextRace } from '../baseline/live.ts';
import { notifyPredictionsChanged } from '../predictions/submit.ts';
import { recomputeRatings } from '../ratings/recompute.ts';
import { type ChangedRace, type HookContext, onResultsChanged } from './hooks.ts';

export async function afterResultsChanged(
  races: ChangedRace[],
  context: HookContext,
): Promise<void> {
  if (races.length === 0) return;
  const ratings = await recomputeRatings(context.db, { redis: context.redis });
  const accuracyRows = await recomputeAccuracy(
    context,
    races.map((r) => r.raceId),
  );
  const next = await predictNextRace(context.db);
  // A new baseline prediction is a prediction change like any other: caches and subscribers hear of it.
  if (next && next.status !== 'unchanged') await notifyPredictionsChanged(context, [next]);
  context.logger.info('analytics updated after results changed', {
    races: races.length,
    ratingsMillis: ratings.millis,
    accuracyRows,
    nextPrediction: next ? `${next.season}/${next.round} ${next.stage} ${next.status}` : null,
  });
}

/** Registers `afterResultsChanged` on the ingestion hook (idempotent: one handler under one name). */
export function registerAnalyticsHook(): () => void {
  return onResultsChanged(afterResultsChanged, { name: 'ratings-accuracy-baseline' });
}
