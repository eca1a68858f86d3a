/**
 * Live `elo-baseline` predictions: after results change (ratings move) or qualifying lands, predict the
 * next race — pre-qualifying until its qualifying is recorded, post-qualifying after — and store it as
 * ordinary prediction sets submitted by `system`: version 2 (the default, ./v2/) and version 1
 * (./model.ts, kept beside it for comparison). Unchanged predictions are no-ops (natural key).
 */
import { gridBaseline } from '@f1/db/accuracy/grid-baseline';
import { priorsBySeason } from '@f1/db/accuracy/grid-priors';
import type { ScoredEntry } from '@f1/db/accuracy/metrics';
import {
  type FieldEntry,
  fieldForPrediction,
  nextRaceToPredict,
  type UpcomingRace,
} from '@f1/db/predictions/baseline-inputs';
import {
  type PredictionSetInput,
  type SubmittedSet,
  submitPredictionSets,
} from '@f1/db/predictions/submit';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { loadHistory, loadQualifying } from './history.ts';
import { ELO_BASELINE_MODEL, ELO_BASELINE_V1_VERSION, predictField } from './model.ts';
import { ELO_BASELINE_V2_VERSION, V2Forecaster } from './v2/forecaster.ts';
import { DEFAULT_V2_PARAMS } from './v2/types.ts';

type Stage = 'pre_qualifying' | 'post_qualifying';

/** Rounds a probability for storage: keeps snapshots stable against float noise. */
const round6 = (p: number) => Math.round(p * 1e6) / 1e6;

async function predictV1(
  db: Kysely<DB>,
  race: UpcomingRace,
  field: readonly FieldEntry[],
  stage: Stage,
): Promise<ScoredEntry[]> {
  const priors = (await priorsBySeason(db, [race.season])).get(race.season) ?? new Map();
  const grid = gridBaseline(
    field.map((f) => ({ driverId: f.driverId, grid: f.grid })),
    priors,
  );
  const gridWin = new Map(grid.map((g) => [g.driverId, g.winProbability]));
  return predictField(
    field.map((f) => ({
      driverId: f.driverId,
      rating: f.rating,
      gridWin: gridWin.get(f.driverId) ?? 0,
    })),
    stage,
  );
}

/**
 * v2 as the backtest's walk-forward stands at `race`: refitted once on every season before it, then
 * fed this season's finished rounds online. (A refit keeps only the seasons before its own, so the
 * season's rounds are observed after it.) Without an earlier season, v2 runs on its default
 * parameters.
 */
async function predictV2(
  db: Kysely<DB>,
  race: UpcomingRace,
  field: readonly FieldEntry[],
  stage: Stage,
): Promise<ScoredEntry[]> {
  const qualifying = await loadQualifying(db);
  const before = (await loadHistory(db))
    .filter((r) => r.season < race.season || (r.season === race.season && r.round < race.round))
    .map((r) => ({ ...r, qualifying: qualifying.get(r.raceId) }));
  const past = before.filter((r) => r.season < race.season);
  const forecaster = new V2Forecaster(past.length ? {} : { params: DEFAULT_V2_PARAMS });
  for (const r of past) forecaster.observe(r);
  if (past.length) forecaster.refit(race.season);
  for (const r of before.slice(past.length)) forecaster.observe(r);
  const predicted = forecaster.predict({
    raceId: race.id,
    season: race.season,
    round: race.round,
    field: field.map((f) => ({ driverId: f.driverId, teamId: f.teamId, grid: f.grid })),
    qualifying: qualifying.get(race.id),
  });
  return stage === 'pre_qualifying' ? predicted.pre : predicted.post;
}

function toSet(
  race: UpcomingRace,
  version: string,
  stage: Stage,
  entries: readonly ScoredEntry[],
  refs: ReadonlyMap<number, string>,
): PredictionSetInput {
  return {
    season: race.season,
    round: race.round,
    model: ELO_BASELINE_MODEL,
    version,
    stage,
    entries: entries.map((e) => ({
      driverId: refs.get(e.driverId) ?? '',
      predictedPosition: e.predictedPosition,
      winProbability: round6(e.winProbability),
      podiumProbability: round6(e.podiumProbability),
    })),
  };
}

/** Predicts the next race with v2 and v1; the stored sets (v2 first), empty when there is none. */
export async function predictNextRace(
  db: Kysely<DB>,
  options: { now?: Date } = {},
): Promise<SubmittedSet[]> {
  const now = options.now ?? new Date();
  const race = await nextRaceToPredict(db, now);
  if (!race) return [];
  const field = await fieldForPrediction(db, race.id);
  if (field.length === 0) return [];
  const stage: Stage = race.qualified ? 'post_qualifying' : 'pre_qualifying';
  const refs = new Map(field.map((f) => [f.driverId, f.driverRef]));
  const v2 = await predictV2(db, race, field, stage);
  const v1 = await predictV1(db, race, field, stage);
  return submitPredictionSets(
    db,
    [
      toSet(race, ELO_BASELINE_V2_VERSION, stage, v2, refs),
      toSet(race, ELO_BASELINE_V1_VERSION, stage, v1, refs),
    ],
    { submittedBy: 'system', now },
  );
}
