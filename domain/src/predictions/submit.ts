/**
 * The submission service behind `predictions.submit` and `predictions.submitBulk`: store the sets
 * (scoring those of races with results in the same transaction), then report what changed to the
 * data-change pipeline, which invalidates the races' cached predictions and tells live subscribers.
 * A failed follow-up is logged there, not returned: the data is committed, and a client retry would
 * be a no-op that notifies nobody.
 */
import { GRID_BASELINE_MODEL } from '@f1/db/accuracy/compute';
import {
  type PredictionSetInput,
  type SubmittedSet,
  submitAndScorePredictionSets,
} from '@f1/db/predictions/submit';
import type { DomainContext } from '../context.ts';

export interface SubmitRequest {
  /** Who submits, as recorded in `prediction_sets.submitted_by` (idempotency keys are scoped to it). */
  submittedBy: string;
  sets: PredictionSetInput[];
  /** `['sets']` for the bulk procedure, so errors read `sets[3].entries[2]…`. */
  path?: (string | number)[];
  now?: Date;
}

const keyOf = (s: {
  season: number;
  round: number;
  model: string;
  version: string;
  backtest: boolean;
}) => ({
  season: s.season,
  round: s.round,
  model: s.model,
  version: s.version,
  backtest: s.backtest,
});

/**
 * Stores the sets, then reports them. Sets for races that already have results (backtests) are scored
 * in the same transaction, so their accuracy is there when the call returns — and after a crash.
 */
export async function submitPredictions(
  services: Pick<DomainContext, 'db' | 'changes'>,
  request: SubmitRequest,
): Promise<SubmittedSet[]> {
  const { sets, accuracy } = await submitAndScorePredictionSets(services.db, request.sets, {
    submittedBy: request.submittedBy,
    path: request.path ?? [],
    now: request.now ?? new Date(),
  });
  await services.changes.changed([
    { kind: 'predictions', sets: sets.filter((r) => r.status !== 'unchanged').map(keyOf) },
    { kind: 'accuracy', sets: accuracy.filter((s) => s.model !== GRID_BASELINE_MODEL).map(keyOf) },
  ]);
  return sets;
}
