/** Reading predictions: a race's prediction sets (live or backtest, optionally with history) and the models. */
import { type Kysely, sql } from 'kysely';
import type { DB, PredictionStage } from '../schema.ts';
import { BUILT_IN_MODELS, freezeTime } from './submit.ts';

export interface PredictionEntry {
  driverId: string;
  code: string | null;
  givenName: string;
  familyName: string;
  predictedPosition: number;
  winProbability: number;
  podiumProbability: number;
  pointsProbability: number | null;
  predictedGrid: number | null;
}

export interface PredictionSet {
  setId: number;
  model: string;
  version: string;
  stage: PredictionStage;
  backtest: boolean;
  submittedAt: Date;
  /** Set when a later submission replaced this one (only returned with `history`). */
  supersededAt: Date | null;
  entries: PredictionEntry[];
}

export interface RacePredictions {
  race: { season: number; round: number; name: string; startsAt: Date | null; frozenAt: Date };
  sets: PredictionSet[];
}

export interface ListPredictionsParams {
  season: number;
  round: number;
  model?: string;
  version?: string;
  stage?: PredictionStage;
  /** Backtest sets instead of live ones (the two are never mixed). */
  backtest?: boolean;
  /** Include superseded sets. */
  history?: boolean;
}

/** A race's prediction sets, newest first per model; null when the race does not exist. */
export async function listPredictions(
  db: Kysely<DB>,
  params: ListPredictionsParams,
): Promise<RacePredictions | null> {
  const race = await db
    .selectFrom('races')
    .select(['id', 'season', 'round', 'name', 'starts_at', 'date'])
    .where('season', '=', params.season)
    .where('round', '=', params.round)
    .executeTakeFirst();
  if (!race) return null;

  let query = db
    .selectFrom('prediction_sets')
    .select(['id', 'model', 'version', 'stage', 'backtest', 'submitted_at', 'superseded_at'])
    .where('race_id', '=', race.id)
    .where('backtest', '=', params.backtest ?? false)
    .orderBy('model')
    .orderBy('version')
    .orderBy('stage')
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc');
  if (params.model) query = query.where('model', '=', params.model);
  if (params.version) query = query.where('version', '=', params.version);
  if (params.stage) query = query.where('stage', '=', params.stage);
  if (!params.history) query = query.where('superseded_at', 'is', null);
  const sets = await query.execute();

  const entries = sets.length
    ? await db
        .selectFrom('predictions as p')
        .innerJoin('drivers as d', 'd.id', 'p.driver_id')
        .select([
          'p.set_id',
          'd.driver_ref',
          'd.code',
          'd.given_name',
          'd.family_name',
          'p.predicted_position',
          'p.win_probability',
          'p.podium_probability',
          'p.points_probability',
          'p.predicted_grid',
        ])
        .where('p.race_id', '=', race.id)
        .where(
          'p.set_id',
          'in',
          sets.map((s) => s.id),
        )
        .orderBy('p.set_id')
        .orderBy('p.predicted_position')
        .execute()
    : [];
  const bySet = new Map<number, PredictionEntry[]>();
  for (const e of entries) {
    const list = bySet.get(e.set_id) ?? [];
    list.push({
      driverId: e.driver_ref,
      code: e.code,
      givenName: e.given_name,
      familyName: e.family_name,
      predictedPosition: e.predicted_position,
      winProbability: e.win_probability,
      podiumProbability: e.podium_probability,
      pointsProbability: e.points_probability,
      predictedGrid: e.predicted_grid,
    });
    bySet.set(e.set_id, list);
  }
  return {
    race: {
      season: race.season,
      round: race.round,
      name: race.name,
      startsAt: race.starts_at,
      frozenAt: freezeTime(race),
    },
    sets: sets.map((s) => ({
      setId: s.id,
      model: s.model,
      version: s.version,
      stage: s.stage,
      backtest: s.backtest,
      submittedAt: s.submitted_at,
      supersededAt: s.superseded_at,
      entries: bySet.get(s.id) ?? [],
    })),
  };
}

export interface ModelVersionSummary {
  version: string;
  stages: PredictionStage[];
  /** Races with a live (pre-race) set, and races with a backtest set. */
  liveRaces: number;
  backtestRaces: number;
  firstSubmittedAt: Date;
  lastSubmittedAt: Date;
}

export interface ModelSummary {
  model: string;
  /** Computed by the system (`elo-baseline`). */
  builtIn: boolean;
  versions: ModelVersionSummary[];
}

/** Every model that has submitted predictions, with its versions and how many races each covers. */
export async function listModels(db: Kysely<DB>): Promise<ModelSummary[]> {
  const rows = await sql<{
    model: string;
    version: string;
    stages: PredictionStage[];
    live_races: number;
    backtest_races: number;
    first_at: Date;
    last_at: Date;
  }>`
    SELECT model, version, array_agg(DISTINCT stage ORDER BY stage) AS stages,
      count(DISTINCT race_id) FILTER (WHERE NOT backtest)::int AS live_races,
      count(DISTINCT race_id) FILTER (WHERE backtest)::int AS backtest_races,
      min(submitted_at) AS first_at, max(submitted_at) AS last_at
    FROM prediction_sets
    GROUP BY model, version
    ORDER BY model, version`.execute(db);
  const models = new Map<string, ModelSummary>();
  for (const r of rows.rows) {
    const model = models.get(r.model) ?? {
      model: r.model,
      builtIn: (BUILT_IN_MODELS as readonly string[]).includes(r.model),
      versions: [],
    };
    model.versions.push({
      version: r.version,
      stages: r.stages,
      liveRaces: r.live_races,
      backtestRaces: r.backtest_races,
      firstSubmittedAt: r.first_at,
      lastSubmittedAt: r.last_at,
    });
    models.set(r.model, model);
  }
  return [...models.values()];
}
