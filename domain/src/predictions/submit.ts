/**
 * The submission service behind `predictions.submit` and `predictions.submitBulk`: store the sets,
 * then tell the rest of the system — invalidate the race's cached predictions and publish an update
 * for live subscribers. A failure to notify is logged, not returned: the data is committed, and a
 * client retry would be a no-op that notifies nobody.
 */

import { invalidate } from '@f1/core/changes/invalidation';
import {
  type PredictionUpdate,
  publishPredictionUpdates,
} from '@f1/core/changes/prediction-updates';
import { GRID_BASELINE_MODEL } from '@f1/db/accuracy/compute';
import {
  type PredictionSetInput,
  type SubmittedSet,
  submitAndScorePredictionSets,
} from '@f1/db/predictions/submit';
import type { DomainContext } from '../context.ts';

/** Invalidates caches and publishes updates for the races whose predictions changed. */
export async function notifyPredictionsChanged(
  services: Pick<DomainContext, 'redis' | 'logger'>,
  changed: Pick<PredictionUpdate, 'season' | 'round' | 'model' | 'version' | 'backtest'>[],
  kind: PredictionUpdate['kind'] = 'predictions',
): Promise<void> {
  if (changed.length === 0) return;
  const at = new Date().toISOString();
  const tags = [...new Set(changed.map((c) => `predictions:${c.season}:${c.round}` as const))];
  try {
    await invalidate(services.redis, tags);
    await publishPredictionUpdates(
      services.redis,
      changed.map((c) => ({ ...c, kind, at })),
    );
  } catch (error) {
    services.logger.error('prediction change notification failed', {
      error: error instanceof Error ? error.message : String(error),
      races: tags,
    });
  }
}

export interface SubmitRequest {
  /** Who submits, as recorded in `prediction_sets.submitted_by` (idempotency keys are scoped to it). */
  submittedBy: string;
  sets: PredictionSetInput[];
  /** `['sets']` for the bulk procedure, so errors read `sets[3].entries[2]…`. */
  path?: (string | number)[];
  now?: Date;
}

/**
 * Stores the sets, then notifies. Sets for races that already have results (backtests) are scored in
 * the same transaction, so their accuracy is there when the call returns — and after a crash.
 */
export async function submitPredictions(
  services: DomainContext,
  request: SubmitRequest,
): Promise<SubmittedSet[]> {
  const { sets, accuracy } = await submitAndScorePredictionSets(services.db, request.sets, {
    submittedBy: request.submittedBy,
    path: request.path ?? [],
    now: request.now ?? new Date(),
  });
  await notifyPredictionsChanged(
    services,
    sets.filter((r) => r.status !== 'unchanged'),
  );
  await notifyPredictionsChanged(
    services,
    accuracy.filter((s) => s.model !== GRID_BASELINE_MODEL),
    'accuracy',
  );
  return sets;
}
