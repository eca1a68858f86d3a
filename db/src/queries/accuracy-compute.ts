/**
 * Computes and stores the accuracy of every current prediction set (live and backtest) of the given
 * races, plus the grid-position baseline of each race, from their results. A race's rows are replaced
 * as a whole in one transaction, so recomputing after a result changes (a penalty) is the same call,
 * and a race whose results were removed loses its rows. Races without results are skipped.
 *
 * Scorers of one race are serialised by a per-race advisory lock taken before anything is read: two
 * concurrent DELETE + INSERT of the same rows would otherwise collide on the unique key, and a scorer
 * that read the sets before another submission committed could overwrite the newer rows. Under READ
 * COMMITTED every statement after the lock sees what the previous holder committed.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { gridBaseline } from '../analytics/grid-baseline.ts';
import { type RaceMetrics, raceMetrics, type ScoredEntry } from '../analytics/metrics.ts';
import type { DB, PredictionStage } from '../schema.ts';
import { priorsBySeason } from './grid-priors.ts';

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

interface SetRow {
  id: number;
  race_id: number;
  model: string;
  version: string;
  backtest: boolean;
  stage: PredictionStage;
}

/** The fingerprint of a race's results stored with its accuracy rows: a changed hash means rescore. */
export function resultsHash(rows: ResultRow[]): string {
  const canonical = rows
    .map((r) => [r.driver_id, r.position_order, r.grid])
    .sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0) || (a[0] ?? 0) - (b[0] ?? 0));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

interface AccuracyRow extends AccuracyRowKey {
  setId: number | null;
  metrics: RaceMetrics;
  resultsHash: string;
}

async function insertRows(db: Kysely<DB>, rows: AccuracyRow[]) {
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
        mae, rho, brier_win, brier_podium, log_loss, calibration, results_hash)`.execute(db);
}

/** (Re)computes the accuracy rows of `raceIds` in a transaction of its own; returns the rows stored. */
export async function computeRaceAccuracy(
  db: Kysely<DB>,
  raceIds: number[],
): Promise<AccuracyRowKey[]> {
  if (raceIds.length === 0) return [];
  return await db.transaction().execute((trx) => scoreRaces(trx, raceIds));
}

/**
 * Races share this many accuracy locks (race id modulo): every lock lives in PostgreSQL's shared lock
 * table (64 × max_connections slots by default), and a bulk submission scores up to 5,000 races.
 */
const LOCK_BUCKETS = 512;

/** Locks the races' accuracy (ascending, so two scorers of overlapping races never deadlock). */
async function lockRaces(trx: Transaction<DB>, raceIds: number[]) {
  await sql`
    SELECT count(pg_advisory_xact_lock(hashtext('prediction_accuracy'), k.bucket))
    FROM (SELECT DISTINCT id % ${LOCK_BUCKETS} AS bucket FROM unnest(${raceIds}::int[]) AS u(id)
      ORDER BY bucket) k`.execute(trx);
}

/**
 * (Re)computes the accuracy rows of `raceIds` inside `trx` (a prediction submission scores its races
 * in its own transaction, so a stored set is never left unscored); returns the rows stored. `trx`
 * must be READ COMMITTED (the default): a REPEATABLE READ snapshot would predate the lock.
 */
export async function scoreRaces(
  trx: Transaction<DB>,
  raceIds: number[],
): Promise<AccuracyRowKey[]> {
  if (raceIds.length === 0) return [];
  await lockRaces(trx, raceIds);
  const races = await trx
    .selectFrom('races')
    .select(['id', 'season', 'round'])
    .where('id', 'in', raceIds)
    .execute();
  const results = await sql<ResultRow>`
    SELECT race_id, driver_id, position_order, grid FROM race_results
    WHERE race_id = ANY(${raceIds}::int[])`.execute(trx);
  const byRace = Map.groupBy(results.rows, (r) => r.race_id);
  const scored = races.filter((r) => byRace.has(r.id));
  const sets = await sql<SetRow>`
    SELECT id, race_id, model, version, backtest, stage FROM prediction_sets
    WHERE race_id = ANY(${scored.map((r) => r.id)}::int[]) AND superseded_at IS NULL`.execute(trx);
  const entries = sets.rows.length
    ? await sql<ScoredEntry & { setId: number }>`
        SELECT set_id AS "setId", driver_id AS "driverId", predicted_position AS "predictedPosition",
          win_probability AS "winProbability", podium_probability AS "podiumProbability"
        FROM predictions
        WHERE race_id = ANY(${scored.map((r) => r.id)}::int[]) AND set_id = ANY(${sets.rows.map((s) => s.id)}::bigint[])`.execute(
        trx,
      )
    : { rows: [] };
  const bySet = Map.groupBy(entries.rows, (e) => e.setId);
  const setsByRace = Map.groupBy(sets.rows, (s) => s.race_id);
  const priors = scored.length
    ? await priorsBySeason(trx, [...new Set(scored.map((r) => r.season))])
    : new Map();

  const rows: AccuracyRow[] = [];
  for (const race of scored) {
    const raceResults = byRace.get(race.id) ?? [];
    const finish = raceResults.map((r) => ({
      driverId: r.driver_id,
      positionOrder: r.position_order,
    }));
    const hash = resultsHash(raceResults);
    const base = { raceId: race.id, season: race.season, round: race.round, resultsHash: hash };
    const grid = gridBaseline(
      [
        ...new Map(
          raceResults.map((r) => [r.driver_id, { driverId: r.driver_id, grid: r.grid }]),
        ).values(),
      ],
      priors.get(race.season) ?? new Map(),
    );
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
    for (const set of setsByRace.get(race.id) ?? []) {
      const metrics = raceMetrics(bySet.get(set.id) ?? [], finish);
      if (!metrics) continue;
      rows.push({
        ...base,
        setId: set.id,
        model: set.model,
        version: set.version,
        backtest: set.backtest,
        stage: set.stage,
        metrics,
      });
    }
  }
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
