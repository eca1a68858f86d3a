/**
 * The accuracy rows of a batch of races, built in JS from what the scorer read (results, current sets
 * with their entries, grid priors), and stored with one set-based statement per step. Building is pure
 * apart from yielding to the event loop every few hundred races, so a submission can build its rows
 * while its prediction rows are still being inserted (see prediction-submit.ts).
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { type GridPriors, gridBaseline } from '../analytics/grid-baseline.ts';
import { type RaceMetrics, raceMetrics, type ScoredEntry } from '../analytics/metrics.ts';
import type { DB, PredictionStage } from '../schema.ts';

export const GRID_BASELINE_MODEL = 'grid-baseline';
export const GRID_BASELINE_VERSION = '1';

export interface AccuracyRowKey {
  raceId: number;
  season: number;
  round: number;
  model: string;
  version: string;
  backtest: boolean;
  stage: PredictionStage;
}

export interface ResultRow {
  race_id: number;
  driver_id: number;
  position_order: number;
  grid: number | null;
}

export interface ScoredSet {
  id: number;
  race_id: number;
  model: string;
  version: string;
  backtest: boolean;
  stage: PredictionStage;
  entries: ScoredEntry[];
}

/** What scoring a batch of races needs, read under the races' accuracy locks. */
export interface ScoringInputs {
  raceIds: number[];
  /** The races that have results, in the order their rows are built. */
  races: { id: number; season: number; round: number }[];
  results: Map<number, ResultRow[]>;
  /** Current sets by race, in the order their rows are built. */
  sets: Map<number, ScoredSet[]>;
  priors: Map<number, GridPriors>;
}

/** The fingerprint of a race's results stored with its accuracy rows: a changed hash means rescore. */
export function resultsHash(rows: ResultRow[]): string {
  const canonical = rows
    .map((r) => [r.driver_id, r.position_order, r.grid])
    .sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0) || (a[0] ?? 0) - (b[0] ?? 0));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export interface AccuracyRow extends AccuracyRowKey {
  setId: number | null;
  metrics: RaceMetrics;
  resultsHash: string;
}

/** Races built between two yields to the event loop. */
const RACES_PER_SLICE = 250;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The grid baseline's row and one row per current set (none for a set whose drivers never raced). */
function raceRows(inputs: ScoringInputs, race: ScoringInputs['races'][number]): AccuracyRow[] {
  const raceResults = inputs.results.get(race.id) ?? [];
  const finish = raceResults.map((r) => ({
    driverId: r.driver_id,
    positionOrder: r.position_order,
  }));
  const base = {
    raceId: race.id,
    season: race.season,
    round: race.round,
    resultsHash: resultsHash(raceResults),
  };
  const rows: AccuracyRow[] = [];
  const field = new Map(
    raceResults.map((r) => [r.driver_id, { driverId: r.driver_id, grid: r.grid }]),
  );
  const grid = gridBaseline([...field.values()], inputs.priors.get(race.season) ?? new Map());
  const gridMetrics = raceMetrics(grid, finish);
  if (gridMetrics) {
    rows.push({
      ...base,
      setId: null,
      model: GRID_BASELINE_MODEL,
      version: GRID_BASELINE_VERSION,
      backtest: false,
      stage: 'post_qualifying',
      metrics: gridMetrics,
    });
  }
  for (const set of inputs.sets.get(race.id) ?? []) {
    const metrics = raceMetrics(set.entries, finish);
    if (!metrics) continue;
    const { id, model, version, backtest, stage } = set;
    rows.push({ ...base, setId: id, model, version, backtest, stage, metrics });
  }
  return rows;
}

/**
 * Every row of the races in `inputs`, yielding to the event loop before each slice of races (so a
 * statement the caller just started is sent, and its parameters serialised, before the work begins).
 */
export async function buildAccuracyRows(inputs: ScoringInputs): Promise<AccuracyRow[]> {
  const rows: AccuracyRow[] = [];
  for (const [i, race] of inputs.races.entries()) {
    if (i % RACES_PER_SLICE === 0) await nextTurn();
    rows.push(...raceRows(inputs, race));
  }
  return rows;
}

async function insertRows(trx: Transaction<DB>, rows: AccuracyRow[]) {
  const col = <T>(f: (r: AccuracyRow) => T) => rows.map(f);
  await sql`
    INSERT INTO prediction_accuracy (race_id, set_id, model, version, backtest, stage, entries, winner_hit,
      podium_overlap, top10_overlap, mean_abs_position_error, spearman_rho, brier_win, brier_podium,
      log_loss_win, calibration, results_hash)
    SELECT race_id, set_id, model, version, backtest = 't', stage, entries, winner_hit = 't', podium_overlap,
      top10_overlap, mae, rho, brier_win, brier_podium, log_loss, calibration::jsonb, results_hash
    FROM unnest(${col((r) => r.raceId)}::int[], ${col((r) => r.setId)}::bigint[], ${col((r) => r.model)}::text[],
      ${col((r) => r.version)}::text[], ${col((r) => (r.backtest ? 't' : 'f'))}::text[], ${col((r) => r.stage)}::text[],
      ${col((r) => r.metrics.entries)}::int[], ${col((r) => (r.metrics.winnerHit ? 't' : 'f'))}::text[],
      ${col((r) => r.metrics.podiumOverlap)}::int[], ${col((r) => r.metrics.top10Overlap)}::int[],
      ${col((r) => r.metrics.meanAbsPositionError)}::float8[], ${col((r) => r.metrics.spearmanRho)}::float8[],
      ${col((r) => r.metrics.brierWin)}::float8[], ${col((r) => r.metrics.brierPodium)}::float8[],
      ${col((r) => r.metrics.logLossWin)}::float8[], ${col((r) => JSON.stringify(r.metrics.calibration))}::text[],
      ${col((r) => r.resultsHash)}::text[])
      AS u(race_id, set_id, model, version, backtest, stage, entries, winner_hit, podium_overlap, top10_overlap,
        mae, rho, brier_win, brier_podium, log_loss, calibration, results_hash)`.execute(trx);
}

/** Replaces the accuracy rows of `raceIds` (all of them: a race without results keeps none). */
export async function storeAccuracyRows(
  trx: Transaction<DB>,
  raceIds: number[],
  rows: AccuracyRow[],
): Promise<AccuracyRowKey[]> {
  await sql`DELETE FROM prediction_accuracy WHERE race_id = ANY(${raceIds}::int[])`.execute(trx);
  if (rows.length) await insertRows(trx, rows);
  return rows.map(({ raceId, season, round, model, version, backtest, stage }) => ({
    raceId,
    season,
    round,
    model,
    version,
    backtest,
    stage,
  }));
}
