/**
 * What must follow any change to race results, in order: ratings (every later rating depends on the
 * changed race, so the whole history is replayed — a second or two), accuracy of the changed races
 * (their predictions and the grid baseline), then the `elo-baseline` prediction of the next race from
 * the new ratings. Registered on the ingestion "results changed" hook.
 */
import { predictNextRace } from '../baseline/live.ts';
import { recomputeRatings } from '../ratings/recompute.ts';
import { type JobContext, recomputeAccuracy } from './recompute.ts';

export interface ChangedRace {
  raceId: number;
  season: number;
  round: number;
}

export async function afterResultsChanged(
  races: ChangedRace[],
  context: JobContext,
): Promise<void> {
  if (races.length === 0) return;
  const ratings = await recomputeRatings(context.db, { redis: context.redis });
  const accuracyRows = await recomputeAccuracy(
    context,
    races.map((r) => r.raceId),
  );
  const next = await predictNextRace(context.db);
  context.logger.info('analytics updated after results changed', {
    races: races.length,
    ratingsMillis: ratings.millis,
    accuracyRows,
    nextPrediction: next ? `${next.season}/${next.round} ${next.stage} ${next.status}` : null,
  });
}
