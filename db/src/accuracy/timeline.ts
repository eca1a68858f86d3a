/**
 * Accuracy over time: each model's (and the grid baseline's) win Brier score and log loss race by race
 * through one season, for charts of how a model fares against the baseline as the season goes on.
 */
import type { Kysely } from 'kysely';
import type { DB, PredictionStage } from '../schema.ts';
import { GRID_BASELINE_MODEL } from './compute.ts';

export interface TimelineParams {
  season: number;
  backtest?: boolean;
}

export interface TimelineSeries {
  model: string;
  version: string;
  stage: PredictionStage;
  backtest: boolean;
  /** Aligned with the timeline's `rounds`; null where the model has no score for that race. */
  brierWin: (number | null)[];
  logLossWin: (number | null)[];
}

export interface AccuracyTimeline {
  season: number;
  rounds: { round: number; name: string }[];
  series: TimelineSeries[];
}

/** Scored races of the season (those with a grid-baseline row) and one series per model. */
export async function accuracyTimeline(
  db: Kysely<DB>,
  params: TimelineParams,
): Promise<AccuracyTimeline> {
  const backtest = params.backtest ?? false;
  const rows = await db
    .selectFrom('prediction_accuracy as a')
    .innerJoin('races as r', 'r.id', 'a.race_id')
    .select([
      'r.round',
      'r.name',
      'a.model',
      'a.version',
      'a.stage',
      'a.backtest',
      'a.brier_win',
      'a.log_loss_win',
    ])
    .where('r.season', '=', params.season)
    .where((eb) =>
      eb.or([eb('a.model', '=', GRID_BASELINE_MODEL), eb('a.backtest', '=', backtest)]),
    )
    .orderBy('r.round')
    .orderBy('a.model')
    .orderBy('a.version')
    .orderBy('a.stage')
    .execute();
  const rounds = new Map<number, string>();
  for (const r of rows) if (r.model === GRID_BASELINE_MODEL) rounds.set(r.round, r.name);
  const order = [...rounds.keys()];
  const index = new Map(order.map((round, i) => [round, i]));
  const series = new Map<string, TimelineSeries>();
  for (const r of rows) {
    const at = index.get(r.round);
    if (at === undefined) continue;
    const key = JSON.stringify([r.model, r.version, r.stage, r.backtest]);
    let s = series.get(key);
    if (!s) {
      s = {
        model: r.model,
        version: r.version,
        stage: r.stage,
        backtest: r.backtest,
        brierWin: order.map(() => null),
        logLossWin: order.map(() => null),
      };
      series.set(key, s);
    }
    s.brierWin[at] = r.brier_win;
    s.logLossWin[at] = r.log_loss_win;
  }
  return {
    season: params.season,
    rounds: order.map((round) => ({ round, name: rounds.get(round) ?? '' })),
    series: [...series.values()],
  };
}

/** The season's rounds (from its calendar), for the cache tags of its races' accuracy. */
export async function calendarRounds(db: Kysely<DB>, season: number): Promise<number[]> {
  const rows = await db
    .selectFrom('races')
    .select('round')
    .where('season', '=', season)
    .orderBy('round')
    .execute();
  return rows.map((r) => r.round);
}
