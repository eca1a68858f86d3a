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
import { EloState } from '@f1/domain/ratings/engine';
import type { HistoryRace } from '@f1/domain/ratings/replay';
import { type BacktestEntry, type RaceScores, scoreRace } from './scoring.ts';

export type { HistoryRace, HistoryResult } from '@f1/domain/ratings/replay';

/** What a model may see before a race: the entrants and their grid slots. No results. */
export interface PreRaceView {
  raceId: number;
  season: number;
  round: number;
  field: { driverId: number; teamId: number | null; grid: number | null }[];
}

export function preRaceView(race: HistoryRace): PreRaceView {
  const seen = new Map<number, PreRaceView['field'][number]>();
  for (const r of race.results) {
    const grid = r.grid && r.grid > 0 ? r.grid : null;
    const known = seen.get(r.driverId);
    // Shared drives list a driver twice: keep his best grid slot.
    if (!known || (grid !== null && (known.grid === null || grid < known.grid))) {
      seen.set(r.driverId, { driverId: r.driverId, teamId: r.teamId, grid });
    }
  }
  return {
    raceId: race.raceId,
    season: race.season,
    round: race.round,
    field: [...seen.values()].sort((a, b) => a.driverId - b.driverId),
  };
}

export type BacktestModel = 'elo-pre' | 'elo-post' | 'grid';
export const BACKTEST_MODELS: BacktestModel[] = ['elo-pre', 'elo-post', 'grid'];

/**
 * Every model's prediction of one race. The report scores whatever models are in `predictions`; an
 * entry may carry its Plackett–Luce `strength` for the pairwise scores (see scoring.ts).
 */
export interface RacePredictions {
  view: PreRaceView;
  predictions: Record<BacktestModel, BacktestEntry[]>;
}

/** Predicts one race from what is known before it. */
export function predictRace(
  view: PreRaceView,
  known: { elo: EloState; priors: ReadonlyMap<number, GridSlotCounts> },
  params: ModelParams = ELO_BASELINE_PARAMS,
): RacePredictions {
  const grid = gridBaseline(view.field, known.priors);
  const gridWin = new Map(grid.map((g) => [g.driverId, g.winProbability]));
  const field = view.field.map((f) => ({
    driverId: f.driverId,
    rating: known.elo.driver(f.driverId),
    gridWin: gridWin.get(f.driverId) ?? 0,
  }));
  return {
    view,
    predictions: {
      'elo-pre': predictField(field, 'pre_qualifying', params),
      'elo-post': predictField(field, 'post_qualifying', params),
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
    onRace?: (race: ScoredRace) => void;
  },
): ScoredRace[] {
  const elo = options.elo ?? new EloState();
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
      const predicted = predictRace(preRaceView(race), { elo, priors }, options.params);
      const entry = { ...predicted, ...scoreRace(predicted.predictions, race.results, elo.driver) };
      scored.push(entry);
      options.onRace?.(entry);
    }
    elo.apply(race);
    const counts = bySeason.get(race.season) ?? new Map<number, GridSlotCounts>();
    addToPriors(counts, race.results);
    bySeason.set(race.season, counts);
  }
  return scored;
}
