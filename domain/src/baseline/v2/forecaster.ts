/**
 * `elo-baseline` version 2, walk-forward. A forecaster is fed races in order: `predict` a race from
 * its pre-race view, then `observe` its result. At the first prediction of a new season it refits
 * every parameter (./fit.ts) on the races observed so far — all of them before that season — and
 * rebuilds its features with the new parameters. Nothing it has not observed can reach a prediction.
 *
 * The model: pace = driver rating + team rating (online, fitted K and season shrinkage); P(classified)
 * from Beta-shrunk team mechanical and driver fault rates; reliability-mixed Plackett–Luce with a
 * temperature fitted on the recent seasons (pre-qualifying), plus qualifying gap to pole and grid
 * slot (post-qualifying).
 */
import type { ScoredEntry } from '@f1/db/accuracy/metrics';
import { FeatureBuilder, type RaceFeatures } from './features.ts';
import { DEFAULT_WINDOWS, type FitWindows, fitV2 } from './fit.ts';
import {
  podiumProbabilities,
  type Stage,
  stageStrengths,
  winProbabilities,
} from './probabilities.ts';
import { DEFAULT_V2_PARAMS, type V2Params, type V2Race, type V2View } from './types.ts';

export const ELO_BASELINE_V2_VERSION = '2';

/** One stage's prediction of a field from its features. */
export function predictStage(
  features: RaceFeatures,
  stage: Stage,
  params: V2Params,
): ScoredEntry[] {
  const entries = features.entries;
  const s = stageStrengths(entries, stage, params.stage);
  const finish = entries.map((e) => e.finish);
  const win = winProbabilities(s, finish);
  const podium = podiumProbabilities(s, finish, win);
  const expected = s.map((x, i) => x + Math.log(Math.max(1e-9, finish[i] ?? 1)));
  const order = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (expected[b.i] ?? 0) - (expected[a.i] ?? 0) || a.e.driverId - b.e.driverId);
  const position = new Map(order.map((o, rank) => [o.i, rank + 1]));
  return entries.map((e, i) => ({
    driverId: e.driverId,
    predictedPosition: position.get(i) ?? 0,
    winProbability: win[i] ?? 0,
    podiumProbability: podium[i] ?? 0,
  }));
}

export interface V2Prediction {
  features: RaceFeatures;
  pre: ScoredEntry[];
  post: ScoredEntry[];
}

export interface RefitTiming {
  season: number;
  millis: number;
  params: V2Params;
}

export class V2Forecaster {
  private readonly history: V2Race[] = [];
  private builder: FeatureBuilder | undefined;
  private fittedFor = Number.NaN;
  params: V2Params;
  readonly refits: RefitTiming[] = [];

  constructor(
    private readonly options: {
      /** Fixed parameters: never refit (for tests and the ablations). */
      params?: V2Params;
      windows?: FitWindows;
    } = {},
  ) {
    this.params = options.params ?? DEFAULT_V2_PARAMS;
  }

  /** Refits on everything observed (all before `season`) and rebuilds the features. */
  refit(season: number): void {
    const started = performance.now();
    const fitted = fitV2(
      this.history,
      season,
      this.params,
      this.options.windows ?? DEFAULT_WINDOWS,
    );
    this.params = fitted.params;
    this.builder = fitted.builder;
    this.fittedFor = season;
    this.refits.push({ season, millis: performance.now() - started, params: this.params });
  }

  private ready(season: number): FeatureBuilder {
    if (!this.options.params && season !== this.fittedFor && this.history.length > 0) {
      this.refit(season);
    }
    if (!this.builder) {
      this.builder = new FeatureBuilder(this.params, this.options.windows?.ablate);
      for (const race of this.history) this.builder.observe(race);
    }
    return this.builder;
  }

  predict(view: V2View): V2Prediction {
    const features = this.ready(view.season).features(view);
    return {
      features,
      pre: predictStage(features, 'pre_qualifying', this.params),
      post: predictStage(features, 'post_qualifying', this.params),
    };
  }

  observe(race: V2Race): void {
    const last = this.history.at(-1);
    if (
      last &&
      (race.season < last.season || (race.season === last.season && race.round <= last.round))
    ) {
      throw new Error(
        `races must be observed in order: ${race.season}/${race.round} after ${last.season}/${last.round}`,
      );
    }
    this.history.push(race);
    this.builder?.observe(race);
  }
}
