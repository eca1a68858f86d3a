/**
 * Maximum-likelihood fitting of v2, on finished races only (the caller passes the seasons before the
 * one to predict). Three stages, each a small coordinate search over cached per-race inputs:
 *
 * 1. ratings (k_D, k_T, season shrinkage of team and driver, rookie rating): the prequential pairwise
 *    log-likelihood of the pre-race ratings on every decided pair of the evaluation seasons;
 * 2. reliability (decay, Beta prior strengths): the Bernoulli log-likelihood of mechanical failures and
 *    driver faults of every starter;
 * 3. finishing order (β_pre; β_r, β_gap, β_grid): the log-likelihood of each race's winner under the
 *    reliability-mixed Plackett–Luce, over the last `stageSeasons` seasons (the era's temperature).
 */
import { outcomeOf } from '../../ratings/outcomes.ts';
import {
  type Ablation,
  FeatureBuilder,
  type RaceFeatures,
  ratedEntries,
  viewOf,
} from './features.ts';
import { stageStrengths, winProbabilities } from './probabilities.ts';
import { PaceRatings, type RatedEntry, sigmoid } from './ratings.ts';
import { Reliability } from './reliability.ts';
import { coordinateSearch } from './search.ts';
import type { RatingParams, ReliabilityParams, StageParams, V2Params, V2Race } from './types.ts';

const FLOOR = 1e-12;

export interface FitWindows {
  /** Parts switched off (ablations). */
  ablate?: Ablation;
  /** Ratings and reliability are scored on the last this-many seasons (all history warms them). */
  ratingSeasons: number;
  /** Finishing-order weights (the temperature) are fitted on the last this-many seasons. */
  stageSeasons: number;
}

export const DEFAULT_WINDOWS: FitWindows = { ratingSeasons: 25, stageSeasons: 8 };

/** Mean pairwise log loss of pre-race ratings over the races of seasons ≥ `from`. */
export function ratingLoss(
  races: readonly { season: number; entries: readonly RatedEntry[] }[],
  params: RatingParams,
  from: number,
): number {
  const ratings = new PaceRatings(params);
  let sum = 0;
  let pairs = 0;
  for (const race of races) {
    ratings.enterSeason(race.season);
    if (race.season >= from) {
      const e = race.entries;
      const s = e.map((x) => ratings.strength(x.driverId, x.teamId));
      for (let i = 0; i < e.length; i++) {
        for (let j = i + 1; j < e.length; j++) {
          const a = e[i] as RatedEntry;
          const b = e[j] as RatedEntry;
          if (a.rank === b.rank) continue;
          const d = (s[i] ?? 0) - (s[j] ?? 0);
          sum -= Math.log(Math.max(FLOOR, sigmoid(a.rank < b.rank ? d : -d)));
          pairs++;
        }
      }
    }
    ratings.apply(race.entries);
  }
  return pairs ? sum / pairs : 0;
}

export function fitRatings(
  races: readonly V2Race[],
  from: number,
  start: RatingParams,
  ablate: Ablation = {},
) {
  const cached = races.map((r) => ({
    season: r.season,
    entries: ratedEntries(r.results, { faults: ablate.faultsInPace === true }),
  }));
  const toParams = (x: readonly number[]): RatingParams => ({
    kDriver: x[0] ?? 0,
    kTeam: x[1] ?? 0,
    teamShrink: x[2] ?? 0,
    driverShrink: x[3] ?? 0,
    rookie: x[4] ?? 0,
    earlyBoost: x[5] ?? 0,
  });
  const result = coordinateSearch(
    (x) => ratingLoss(cached, toParams(x), from),
    [
      start.kDriver,
      start.kTeam,
      start.teamShrink,
      start.driverShrink,
      start.rookie,
      start.earlyBoost,
    ],
    {
      steps: [0.1, 0.1, 0.1, 0.1, 0.2, 0.5],
      lower: [0, 0, 0, 0, -2, 0],
      upper: [3, ablate.team ? 0 : 3, 1, 1, 1, 10],
    },
  );
  return { params: toParams(result.x), loss: result.value, evaluations: result.evaluations };
}

/** Mean Bernoulli log loss of mechanical failures and driver faults over seasons ≥ `from`. */
export function reliabilityLoss(
  races: readonly V2Race[],
  params: ReliabilityParams,
  from: number,
): number {
  const model = new Reliability(params);
  let sum = 0;
  let starts = 0;
  const ll = (p: number, happened: boolean) => -Math.log(Math.max(FLOOR, happened ? p : 1 - p));
  for (const race of races) {
    if (race.season >= from) {
      for (const r of race.results) {
        const outcome = outcomeOf(r);
        if (outcome === 'did_not_start') continue;
        const rates = model.rates(r.driverId, r.teamId);
        sum += ll(rates.mechanical, outcome === 'retired_other');
        sum += ll(rates.fault, outcome === 'driver_fault');
        starts++;
      }
    }
    model.apply(race.results);
  }
  return starts ? sum / starts : 0;
}

export function fitReliability(races: readonly V2Race[], from: number, start: ReliabilityParams) {
  const toParams = (x: readonly number[]): ReliabilityParams => ({
    decay: x[0] ?? 1,
    teamPrior: x[1] ?? 0,
    driverPrior: x[2] ?? 0,
  });
  const result = coordinateSearch(
    (x) => reliabilityLoss(races, toParams(x), from),
    [start.decay, start.teamPrior, start.driverPrior],
    { steps: [0.02, 8, 16], lower: [0.8, 0.5, 0.5], upper: [1, 200, 400], maxEvaluations: 80 },
  );
  return { params: toParams(result.x), loss: result.value, evaluations: result.evaluations };
}

/** Features of each training race (as they were before it) plus its winner's index. */
export interface TrainingRace {
  features: RaceFeatures;
  winner: number;
}

/** Replays `races` into a fresh builder, keeping features of races of seasons ≥ `from`. */
export function trainingFeatures(
  races: readonly V2Race[],
  params: Pick<V2Params, 'ratings' | 'reliability'>,
  from: number,
  ablate: Ablation = {},
): { builder: FeatureBuilder; training: TrainingRace[] } {
  const builder = new FeatureBuilder(params, ablate);
  const training: TrainingRace[] = [];
  for (const race of races) {
    if (race.season >= from) {
      const features = builder.features(viewOf(race));
      const first = race.results.reduce<V2Race['results'][number] | undefined>(
        (best, r) => (!best || r.positionOrder < best.positionOrder ? r : best),
        undefined,
      );
      const winner = features.entries.findIndex((e) => e.driverId === first?.driverId);
      if (winner >= 0) training.push({ features, winner });
    }
    builder.observe(race);
  }
  return { builder, training };
}

/** Mean win log loss of a stage's weights over training races. */
export function stageLoss(
  training: readonly TrainingRace[],
  stage: 'pre_qualifying' | 'post_qualifying',
  params: StageParams,
): number {
  let sum = 0;
  for (const t of training) {
    const s = stageStrengths(t.features.entries, stage, params);
    const win = winProbabilities(
      s,
      t.features.entries.map((e) => e.finish),
    );
    sum -= Math.log(Math.max(FLOOR, win[t.winner] ?? 0));
  }
  return training.length ? sum / training.length : 0;
}

export function fitStage(training: readonly TrainingRace[], start: StageParams): StageParams {
  const pre = coordinateSearch(
    (x) => stageLoss(training, 'pre_qualifying', { ...start, pre: x[0] ?? 0, preTeam: x[1] ?? 0 }),
    [start.pre, start.preTeam],
    { steps: [0.25, 0.25], lower: [0, -1], upper: [10, 5] },
  );
  const post = coordinateSearch(
    (x) =>
      stageLoss(training, 'post_qualifying', {
        ...start,
        rating: x[0] ?? 0,
        postTeam: x[1] ?? 0,
        gap: x[2] ?? 0,
        grid: x[3] ?? 0,
        slot: x[4] ?? 0,
      }),
    [start.rating, start.postTeam, start.gap, start.grid, start.slot],
    { steps: [0.25, 0.25, 0.25, 0.25, 0.05], lower: [0, -1, 0, 0, -1], upper: [10, 5, 10, 10, 1] },
  );
  return {
    pre: pre.x[0] ?? 0,
    preTeam: pre.x[1] ?? 0,
    rating: post.x[0] ?? 0,
    postTeam: post.x[1] ?? 0,
    gap: post.x[2] ?? 0,
    grid: post.x[3] ?? 0,
    slot: post.x[4] ?? 0,
  };
}

/** Fits every parameter on `races` (all before `season`), from `start`. */
export function fitV2(
  races: readonly V2Race[],
  season: number,
  start: V2Params,
  windows: FitWindows = DEFAULT_WINDOWS,
): { params: V2Params; builder: FeatureBuilder } {
  const past = races.filter((r) => r.season < season);
  const ratings = fitRatings(
    past,
    season - windows.ratingSeasons,
    windows.ablate?.team ? { ...start.ratings, kTeam: 0 } : start.ratings,
    windows.ablate,
  ).params;
  const reliability = fitReliability(
    past,
    season - windows.ratingSeasons,
    start.reliability,
  ).params;
  const { builder, training } = trainingFeatures(
    past,
    { ratings, reliability },
    season - windows.stageSeasons,
    windows.ablate,
  );
  const stage = fitStage(training, start.stage);
  return { params: { ratings, reliability, stage }, builder };
}
