/**
 * The accuracy rows of a batch of races, built in JS from what the scorer read (results, current sets
 * with their entries, grid priors). Building is pure
 * apart from yielding to the event loop every few hundred races, so a submission can build its rows
 * while its prediction rows are still being inserted (see prediction-submit.ts); accuracy-store.ts
 * writes them.
 */
import { createHash } from 'node:crypto';
import type { PredictionStage } from '../schema.ts';
import { type GridPriors, gridBaseline } from './grid-baseline.ts';
import { type RaceMetrics, raceMetrics, type ScoredEntry } from './metrics.ts';

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
