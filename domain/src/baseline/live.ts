/**
 * Live `elo-baseline` predictions: after results change (ratings move) or qualifying lands, predict the
 * next race — pre-qualifying until its qualifying is recorded, post-qualifying after — and store it as
 * an ordinary prediction set submitted by `system`. Unchanged predictions are no-ops (natural key).
 */
import { gridBaseline } from '@f1/db/accuracy/grid-baseline';
import { priorsBySeason } from '@f1/db/accuracy/grid-priors';
import { fieldForPrediction, nextRaceToPredict } from '@f1/db/predictions/baseline-inputs';
import { type SubmittedSet, submitPredictionSets } from '@f1/db/predictions/submit';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { ELO_BASELINE_MODEL, ELO_BASELINE_VERSION, predictField } from './model.ts';

/** Rounds a probability for storage: keeps snapshots stable against float noise. */
const round6 = (p: number) => Math.round(p * 1e6) / 1e6;

export async function predictNextRace(
  db: Kysely<DB>,
  options: { now?: Date } = {},
): Promise<SubmittedSet | null> {
  const now = options.now ?? new Date();
  const race = await nextRaceToPredict(db, now);
  if (!race) return null;
  const field = await fieldForPrediction(db, race.id);
  if (field.length === 0) return null;
  const stage = race.qualified ? 'post_qualifying' : 'pre_qualifying';
  const priors = (await priorsBySeason(db, [race.season])).get(race.season) ?? new Map();
  const grid = gridBaseline(
    field.map((f) => ({ driverId: f.driverId, grid: f.grid })),
    priors,
  );
  const gridWin = new Map(grid.map((g) => [g.driverId, g.winProbability]));
  const predicted = predictField(
    field.map((f) => ({
      driverId: f.driverId,
      rating: f.rating,
      gridWin: gridWin.get(f.driverId) ?? 0,
    })),
    stage,
  );
  const ref = new Map(field.map((f) => [f.driverId, f.driverRef]));
  const [result] = await submitPredictionSets(
    db,
    [
      {
        season: race.season,
        round: race.round,
        model: ELO_BASELINE_MODEL,
        version: ELO_BASELINE_VERSION,
        stage,
        entries: predicted.map((e) => ({
          driverId: ref.get(e.driverId) ?? '',
          predictedPosition: e.predictedPosition,
          winProbability: round6(e.winProbability),
          podiumProbability: round6(Math.max(e.podiumProbability, e.winProbability)),
        })),
      },
    ],
    { submittedBy: 'system', now },
  );
  return result ?? null;
}
