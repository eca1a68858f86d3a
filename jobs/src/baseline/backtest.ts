/**
 * Replays history race by race without looking ahead. For each race in the chosen seasons the models
 * see only a `PreRaceView` (who is entered, and the grid for post-qualifying predictions), the ELO
 * table as of the previous race and grid priors from earlier seasons; only then is the race scored and
 * its results fed into the ratings and priors. ELO runs from the first race given (1950), so ratings
 * are warm when the scored seasons begin.
 */
import {
  addToPriors,
  GRID_PRIOR_SEASONS,
  type GridSlotCounts,
  gridBaseline,
} from '@f1/db/accuracy/grid-baseline';
import { ELO_BASELINE_PARAMS, type ModelParams, predictField } from '@f1/domain/baseline/model';
import { viewOf } from '@f1/domain/baseline/v2/features';
import { V2Forecaster } from '@f1/domain/baseline/v2/forecaster';
import type { QualifyingTime } from '@f1/domain/baseline/v2/types';
import { EloState } from '@f1/domain/ratings/engine';
import type { HistoryRace } from '@f1/domain/ratings/replay';
import { type BacktestEntry, type RaceScores, scoreRace } from './scoring.ts';
import { v2PairProbability, withQualifying } from './v2-adapter.ts';

export type { HistoryRace, HistoryResult } from '@f1/domain/ratings/replay';

/** What a model may see before a race: the entrants and their grid slots. No results. */
export interface PreRaceView {
  raceId: number;
  season: number;
  round: number;
  field: { driverId: number; teamId: number | null; grid: number | null }[];
}

export function preRaceView(race: HistoryRace): PreRaceView {
  // The one pre-race view (shared drives keep the driver's best grid slot), without qualifying times.
  const { qualifying: _, ...view } = viewOf(race);
  return view;
}

export type BacktestModel = 'elo-pre' | 'elo-post' | 'v2-pre' | 'v2-post' | 'grid';
export const BACKTEST_MODELS: BacktestModel[] = [
  'elo-pre',
  'elo-post',
  'v2-pre',
  'v2-post',
  'grid',
];

/**
 * Every model's prediction of one race. The report scores whatever models are in `predictions`; an
 * entry may carry its Plackett–Luce `strength` for the pairwise scores (see scoring.ts).
 */
export interface RacePredictions {
  view: PreRaceView;
  predictions: Record<BacktestModel, BacktestEntry[]>;
}

/** v2's inputs beside v1's: its walk-forward forecaster and the races' qualifying times. */
export interface V2Known {
  forecaster: V2Forecaster;
  qualifying?: ReadonlyMap<number, readonly QualifyingTime[]>;
}

/** Predicts one race from what is known before it. */
export function predictRace(
  view: PreRaceView,
  known: { elo: EloState; priors: ReadonlyMap<number, GridSlotCounts>; v2: V2Known },
  params: ModelParams = ELO_BASELINE_PARAMS,
): RacePredictions & { v2: ReturnType<V2Forecaster['predict']> } {
  const grid = gridBaseline(view.field, known.priors);
  const gridWin = new Map(grid.map((g) => [g.driverId, g.winProbability]));
  const field = view.field.map((f) => ({
    driverId: f.driverId,
    rating: known.elo.driver(f.driverId),
    gridWin: gridWin.get(f.driverId) ?? 0,
  }));
  const v2 = known.v2.forecaster.predict({
    ...view,
    qualifying: known.v2.qualifying?.get(view.raceId),
  });
  return {
    view,
    v2,
    predictions: {
      'elo-pre': predictField(field, 'pre_qualifying', params),
      'elo-post': predictField(field, 'post_qualifying', params),
      'v2-pre': v2.pre,
      'v2-post': v2.post,
      grid,
    },
  };
}

/** A predicted race and its scores: `metrics` per model, `pairwise` per pair set (scoring.ts). */
export interface ScoredRace extends RacePredictions, RaceScores {}

function priorsFor(season: number, bySeason: Map<number, Map<number, GridSlotCounts>>) {
  const priors = new Map<number, GridSlotCounts>();
  for (let s = season - GRID_PRIOR_SEASONS; s < season; s++) {
    for (const [slot, c] of bySeason.get(s) ?? []) {
      const p = priors.get(slot) ?? { starts: 0, wins: 0, podiums: 0 };
      priors.set(slot, {
        starts: p.starts + c.starts,
        wins: p.wins + c.wins,
        podiums: p.podiums + c.podiums,
      });
    }
  }
  return priors;
}

/**
 * Replays `races` (any order; sorted here) and scores every race of seasons `from`–`to`. `onRace` sees
 * each scored race as soon as it is predicted and scored (the CLI stores the predictions from it).
 */
export function replay(
  races: readonly HistoryRace[],
  options: {
    from: number;
    to: number;
    params?: ModelParams;
    /** The ELO table to replay into (a fresh default one when omitted). */
    elo?: EloState;
    /** v2's forecaster (a fresh, walk-forward refitting one when omitted) and qualifying times. */
    v2?: Partial<V2Known>;
    onRace?: (race: ScoredRace) => void;
  },
): ScoredRace[] {
  const elo = options.elo ?? new EloState();
  const v2: V2Known = {
    forecaster: options.v2?.forecaster ?? new V2Forecaster(),
    qualifying: options.v2?.qualifying,
  };
  const bySeason = new Map<number, Map<number, GridSlotCounts>>();
  let priors = new Map<number, GridSlotCounts>();
  let priorsSeason = Number.NaN;
  const scored: ScoredRace[] = [];
  const sorted = [...races].sort((a, b) => a.season - b.season || a.round - b.round);
  for (const race of sorted) {
    if (race.season > options.to) break;
    if (race.season >= options.from) {
      if (priorsSeason !== race.season) {
        priors = priorsFor(race.season, bySeason);
        priorsSeason = race.season;
      }
      const { v2: v2Prediction, ...predicted } = predictRace(
        preRaceView(race),
        { elo, priors, v2 },
        options.params,
      );
      // v2's pairs are scored by its own P(ahead) (pace with reliability), not by a strength alone.
      const v2Pairs = v2PairProbability(v2Prediction.features);
      const entry = {
        ...predicted,
        ...scoreRace(predicted.predictions, race.results, elo.driver, {
          'v2-pre': v2Pairs,
          'v2-post': v2Pairs,
        }),
      };
      scored.push(entry);
      options.onRace?.(entry);
    }
    elo.apply(race);
    v2.forecaster.observe(withQualifying(race, v2.qualifying));
    const counts = bySeason.get(race.season) ?? new Map<number, GridSlotCounts>();
    addToPriors(counts, race.results);
    bySeason.set(race.season, counts);
  }
  return scored;
}
