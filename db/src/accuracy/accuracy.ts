/**
 * Reading accuracy: one race's rows (each next to the grid baseline), and the leaderboard — models
 * ranked over a season or the last N races, with sample sizes and the grid baseline's numbers over the
 * very same races, so every comparison is like for like.
 */
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { CalibrationBin, DB, PredictionAccuracyTable, PredictionStage } from '../schema.ts';
import { GRID_BASELINE_MODEL } from './compute.ts';

export interface AccuracyMetrics {
  winnerHit: boolean;
  podiumOverlap: number;
  top10Overlap: number;
  meanAbsPositionError: number;
  spearmanRho: number | null;
  brierWin: number | null;
  brierPodium: number | null;
  logLossWin: number | null;
}

export interface RaceAccuracy extends AccuracyMetrics {
  model: string;
  version: string;
  stage: PredictionStage;
  backtest: boolean;
  entries: number;
  calibration: CalibrationBin[];
  computedAt: Date;
}

export interface RaceAccuracyReport {
  race: { season: number; round: number; name: string };
  /** The grid-position baseline for this race (null when the race has no grid data). */
  baseline: RaceAccuracy | null;
  models: RaceAccuracy[];
}

const METRIC_COLUMNS =
  sql.raw(`model, version, stage, backtest, entries, winner_hit, podium_overlap,
  top10_overlap, mean_abs_position_error, spearman_rho, brier_win, brier_podium, log_loss_win, calibration,
  computed_at`);

type AccuracyRow = Omit<
  Selectable<PredictionAccuracyTable>,
  'id' | 'race_id' | 'set_id' | 'results_hash'
>;

const toDto = (r: AccuracyRow): RaceAccuracy => ({
  model: r.model,
  version: r.version,
  stage: r.stage,
  backtest: r.backtest,
  entries: r.entries,
  winnerHit: r.winner_hit,
  podiumOverlap: r.podium_overlap,
  top10Overlap: r.top10_overlap,
  meanAbsPositionError: r.mean_abs_position_error,
  spearmanRho: r.spearman_rho,
  brierWin: r.brier_win,
  brierPodium: r.brier_podium,
  logLossWin: r.log_loss_win,
  calibration: r.calibration,
  computedAt: r.computed_at,
});

/** One race's accuracy rows; null when the race does not exist. */
export async function accuracyByRace(
  db: Kysely<DB>,
  params: { season: number; round: number; model?: string; backtest?: boolean },
): Promise<RaceAccuracyReport | null> {
  const race = await db
    .selectFrom('races')
    .select(['id', 'season', 'round', 'name'])
    .where('season', '=', params.season)
    .where('round', '=', params.round)
    .executeTakeFirst();
  if (!race) return null;
  const rows = await sql<AccuracyRow>`
    SELECT ${METRIC_COLUMNS} FROM prediction_accuracy
    WHERE race_id = ${race.id}
      AND (model = ${GRID_BASELINE_MODEL} OR backtest = ${params.backtest ?? false})
      ${params.model ? sql`AND (model = ${params.model} OR model = ${GRID_BASELINE_MODEL})` : sql``}
    ORDER BY model, version, stage`.execute(db);
  const baseline = rows.rows.find((r) => r.model === GRID_BASELINE_MODEL);
  return {
    race: { season: race.season, round: race.round, name: race.name },
    baseline: baseline ? toDto(baseline) : null,
    models: rows.rows.filter((r) => r.model !== GRID_BASELINE_MODEL).map(toDto),
  };
}

export interface AggregateMetrics {
  /** Races scored (the sample size). */
  races: number;
  winnerHitRate: number;
  podiumOverlap: number;
  top10Overlap: number;
  meanAbsPositionError: number;
  spearmanRho: number | null;
  brierWin: number | null;
  brierPodium: number | null;
  logLossWin: number | null;
  /**
   * Calibration over these races: per event and 0.1-wide bin, the count-weighted mean predicted
   * probability against the observed frequency (the per-race bins pooled).
   */
  calibration: CalibrationBin[];
}

export interface LeaderboardEntry extends AggregateMetrics {
  rank: number;
  model: string;
  version: string;
  stage: PredictionStage;
  backtest: boolean;
  /** The grid baseline over exactly the races this model was scored on. */
  baseline: AggregateMetrics;
}

export const RANK_METRICS = [
  'brierWin',
  'logLossWin',
  'brierPodium',
  'meanAbsPositionError',
  'spearmanRho',
  'winnerHitRate',
] as const;
export type RankMetric = (typeof RANK_METRICS)[number];
const HIGHER_IS_BETTER: ReadonlySet<RankMetric> = new Set(['spearmanRho', 'winnerHitRate']);

export interface LeaderboardParams {
  season?: number;
  /** Only the last N races with results (within `season` when given): a rolling window. */
  lastRaces?: number;
  backtest?: boolean;
  stage?: PredictionStage;
  rankBy?: RankMetric;
}

const aggregates = (p: string) =>
  sql.raw(`count(*)::int AS ${p}races, avg(${p}.winner_hit::int)::float8 AS ${p}winner_hit_rate,
    avg(${p}.podium_overlap)::float8 AS ${p}podium_overlap, avg(${p}.top10_overlap)::float8 AS ${p}top10_overlap,
    avg(${p}.mean_abs_position_error) AS ${p}mae, avg(${p}.spearman_rho) AS ${p}rho,
    avg(${p}.brier_win) AS ${p}brier_win, avg(${p}.brier_podium) AS ${p}brier_podium,
    avg(${p}.log_loss_win) AS ${p}log_loss`);

type AggregateRow = Record<string, number | null>;

const toAggregate = (r: AggregateRow, p: string): Omit<AggregateMetrics, 'calibration'> => ({
  races: r[`${p}races`] ?? 0,
  winnerHitRate: r[`${p}winner_hit_rate`] ?? 0,
  podiumOverlap: r[`${p}podium_overlap`] ?? 0,
  top10Overlap: r[`${p}top10_overlap`] ?? 0,
  meanAbsPositionError: r[`${p}mae`] ?? 0,
  spearmanRho: r[`${p}rho`] ?? null,
  brierWin: r[`${p}brier_win`] ?? null,
  brierPodium: r[`${p}brier_podium`] ?? null,
  logLossWin: r[`${p}log_loss`] ?? null,
});

/** Models ranked by `rankBy` (default win Brier) over the chosen races, each next to the grid baseline. */
export async function accuracyLeaderboard(
  db: Kysely<DB>,
  params: LeaderboardParams,
): Promise<LeaderboardEntry[]> {
  const scope = sql`
    SELECT r.id FROM races r
    WHERE EXISTS (SELECT 1 FROM prediction_accuracy g WHERE g.race_id = r.id AND g.model = ${GRID_BASELINE_MODEL})
      ${params.season === undefined ? sql`` : sql`AND r.season = ${params.season}`}
    ORDER BY r.season DESC, r.round DESC
    ${params.lastRaces === undefined ? sql`` : sql`LIMIT ${params.lastRaces}`}`;
  // Each model's rows joined to the grid baseline's for the same race: like-for-like samples.
  const scored = {
    from: sql`
      FROM prediction_accuracy a
      JOIN (${scope}) s ON s.id = a.race_id
      JOIN prediction_accuracy g ON g.race_id = a.race_id AND g.model = ${GRID_BASELINE_MODEL}`,
    where: sql`
      WHERE a.model <> ${GRID_BASELINE_MODEL} AND a.backtest = ${params.backtest ?? false}
        ${params.stage ? sql`AND a.stage = ${params.stage}` : sql``}`,
  };
  // One snapshot for both reads: a race scored in between must not enter one and not the other.
  const [rows, calibration] = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(
      async (trx) =>
        [
          await sql<
            AggregateRow & {
              model: string;
              version: string;
              stage: PredictionStage;
              backtest: boolean;
            }
          >`
        SELECT a.model, a.version, a.stage, a.backtest, ${aggregates('a')}, ${aggregates('g')}
        ${scored.from} ${scored.where}
        GROUP BY a.model, a.version, a.stage, a.backtest`.execute(trx),
          await pooledCalibration(trx, scored),
        ] as const,
    );
  const rankBy = params.rankBy ?? 'brierWin';
  const sign = HIGHER_IS_BETTER.has(rankBy) ? -1 : 1;
  const entries = rows.rows.map((r) => {
    const key = entryKey(r);
    return {
      model: r.model,
      version: r.version,
      stage: r.stage,
      backtest: r.backtest,
      ...toAggregate(r, 'a'),
      calibration: calibration.get(`model|${key}`) ?? [],
      baseline: { ...toAggregate(r, 'g'), calibration: calibration.get(`baseline|${key}`) ?? [] },
    };
  });
  entries.sort(
    (x, y) =>
      sign *
        ((x[rankBy] ?? Number.POSITIVE_INFINITY * sign) -
          (y[rankBy] ?? Number.POSITIVE_INFINITY * sign)) ||
      y.races - x.races ||
      x.model.localeCompare(y.model) ||
      x.version.localeCompare(y.version) ||
      x.stage.localeCompare(y.stage),
  );
  return entries.map((e, i) => ({ rank: i + 1, ...e }));
}

const entryKey = (r: { model: string; version: string; stage: string; backtest: boolean }) =>
  JSON.stringify([r.model, r.version, r.stage, r.backtest]);

/** The per-race calibration bins of each entry (and of its baseline) pooled, keyed `side|entryKey`. */
async function pooledCalibration(
  db: Kysely<DB>,
  scored: { from: RawBuilder<unknown>; where: RawBuilder<unknown> },
): Promise<Map<string, CalibrationBin[]>> {
  const { rows } = await sql<{
    side: 'model' | 'baseline';
    model: string;
    version: string;
    stage: PredictionStage;
    backtest: boolean;
    event: CalibrationBin['event'];
    bin: number;
    count: number;
    predicted: number;
    observed: number;
  }>`
    SELECT x.side, a.model, a.version, a.stage, a.backtest, x.b->>'event' AS event,
      (x.b->>'bin')::float8 AS bin, sum((x.b->>'count')::int)::int AS count,
      sum((x.b->>'predicted')::float8 * (x.b->>'count')::int) / sum((x.b->>'count')::int) AS predicted,
      sum((x.b->>'observed')::float8 * (x.b->>'count')::int) / sum((x.b->>'count')::int) AS observed
    ${scored.from}
    CROSS JOIN LATERAL (
      SELECT 'model' AS side, e AS b FROM jsonb_array_elements(a.calibration) e
      UNION ALL
      SELECT 'baseline', e FROM jsonb_array_elements(g.calibration) e
    ) x
    ${scored.where}
    GROUP BY x.side, a.model, a.version, a.stage, a.backtest, x.b->>'event', (x.b->>'bin')::float8
    ORDER BY x.b->>'event' DESC, (x.b->>'bin')::float8`.execute(db);
  const pooled = new Map<string, CalibrationBin[]>();
  for (const r of rows) {
    const key = `${r.side}|${entryKey(r)}`;
    const bins = pooled.get(key) ?? [];
    bins.push({
      event: r.event,
      bin: r.bin,
      predicted: r.predicted,
      observed: r.observed,
      count: r.count,
    });
    pooled.set(key, bins);
  }
  return pooled;
}
