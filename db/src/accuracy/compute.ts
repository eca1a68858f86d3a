/**
 * Computes and stores the accuracy of every current prediction set (live and backtest) of the given
 * races, plus the grid-position baseline of each race, from their results. A race's rows are replaced
 * as a whole in one transaction, so recomputing after a result changes (a penalty) is the same call,
 * and a race whose results were removed loses its rows. Races without results are skipped.
 *
 * Scorers of one race are serialised by a per-race advisory lock taken before anything is read (a
 * submission takes it first thing, see prediction-submit.ts): two
 * concurrent DELETE + INSERT of the same rows would otherwise collide on the unique key, and a scorer
 * that read the sets before another submission committed could overwrite the newer rows. Under READ
 * COMMITTED every statement after the lock sees what the previous holder committed.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { priorsBySeason } from './grid-priors.ts';
import type { ScoredEntry } from './metrics.ts';
import {
  type AccuracyRowKey,
  buildAccuracyRows,
  type ResultRow,
  type ScoredSet,
  type ScoringInputs,
} from './rows.ts';
import { storeAccuracyRows } from './store.ts';

export {
  type AccuracyRowKey,
  GRID_BASELINE_MODEL,
  GRID_BASELINE_VERSION,
  type ResultRow,
  resultsHash,
} from './rows.ts';

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

/**
 * Locks the races' accuracy (ascending, so two scorers of overlapping races never deadlock). Every
 * read after it sees, under READ COMMITTED, what the previous holder committed; `trx` must be READ
 * COMMITTED (the default): a REPEATABLE READ snapshot would predate the lock.
 */
export async function lockAccuracy(trx: Transaction<DB>, raceIds: number[]) {
  await sql`
    SELECT count(pg_advisory_xact_lock(hashtext('prediction_accuracy'), k.bucket))
    FROM (SELECT DISTINCT id % ${LOCK_BUCKETS} AS bucket FROM unnest(${raceIds}::int[]) AS u(id)
      ORDER BY bucket) k`.execute(trx);
}

export type ClassifiedResult = ResultRow & { driver_ref: string };

/** The classification of each race that has one (with public driver ids, for entry lists). */
export async function readResults(
  trx: Transaction<DB>,
  raceIds: number[],
): Promise<Map<number, ClassifiedResult[]>> {
  const results = await sql<ClassifiedResult>`
    SELECT rr.race_id, rr.driver_id, rr.position_order, rr.grid, d.driver_ref
    FROM race_results rr JOIN drivers d ON d.id = rr.driver_id
    WHERE rr.race_id = ANY(${raceIds}::int[])`.execute(trx);
  return Map.groupBy(results.rows, (r) => r.race_id);
}

/**
 * What scoring `races` needs besides their results (read under the lock by the caller): their
 * current sets (except `excluding`: sets the caller is superseding) with entries, and the grid
 * priors. Races without results are left out.
 */
export async function readScoring(
  trx: Transaction<DB>,
  races: readonly { id: number; season: number; round: number }[],
  results: ReadonlyMap<number, ResultRow[]>,
  excluding: readonly number[] = [],
): Promise<ScoringInputs> {
  const scored = races.filter((r) => results.has(r.id));
  const scoredIds = scored.map((r) => r.id);
  const sets = await sql<Omit<ScoredSet, 'entries'>>`
    SELECT id, race_id, model, version, backtest, stage FROM prediction_sets
    WHERE race_id = ANY(${scoredIds}::int[]) AND superseded_at IS NULL
      AND NOT (id = ANY(${[...excluding]}::bigint[]))`.execute(trx);
  const entries = sets.rows.length
    ? await sql<ScoredEntry & { setId: number }>`
        SELECT set_id AS "setId", driver_id AS "driverId", predicted_position AS "predictedPosition",
          win_probability AS "winProbability", podium_probability AS "podiumProbability"
        FROM predictions
        WHERE race_id = ANY(${scoredIds}::int[]) AND set_id = ANY(${sets.rows.map((s) => s.id)}::bigint[])`.execute(
        trx,
      )
    : { rows: [] };
  const bySet = Map.groupBy(entries.rows, (e) => e.setId);
  const withEntries = sets.rows.map((s) => ({ ...s, entries: bySet.get(s.id) ?? [] }));
  return {
    races: scored,
    results: new Map(results),
    sets: Map.groupBy(withEntries, (s) => s.race_id),
    priors: scored.length
      ? await priorsBySeason(trx, [...new Set(scored.map((r) => r.season))])
      : new Map(),
  };
}

/**
 * (Re)computes the accuracy rows of `raceIds` inside `trx` (an ingest's "results changed" hook and
 * the sweep call it through computeRaceAccuracy); returns the rows stored.
 */
export async function scoreRaces(
  trx: Transaction<DB>,
  raceIds: number[],
): Promise<AccuracyRowKey[]> {
  if (raceIds.length === 0) return [];
  await lockAccuracy(trx, raceIds);
  const races = await trx
    .selectFrom('races')
    .select(['id', 'season', 'round'])
    .where('id', 'in', raceIds)
    .execute();
  const inputs = await readScoring(trx, races, await readResults(trx, raceIds));
  return await storeAccuracyRows(trx, raceIds, await buildAccuracyRows(inputs));
}
