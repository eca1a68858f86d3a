/**
 * Races whose stored accuracy does not match their results and current prediction sets. Ingestion
 * commits results first and scores them afterwards (the "results changed" hook); a process that dies
 * in between leaves the race unscored or scored against its old results. This finds them, so a
 * sweep can rescore them: a race with results but no grid-baseline row, or one whose rows carry
 * another results hash; a current set of a race with results that has no row; rows of a race
 * that no longer has results. (A set none of whose drivers raced never gets a row, so its race is
 * rescored by every sweep: wasted work, never wrong.)
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import { GRID_BASELINE_MODEL, type ResultRow, resultsHash } from './compute.ts';

/** Ids of the races to rescore, ascending. */
export async function staleAccuracyRaces(db: Kysely<DB>): Promise<number[]> {
  const results = await sql<ResultRow>`
    SELECT race_id, driver_id, position_order, grid FROM race_results`.execute(db);
  const stored = await sql<{ race_id: number; results_hash: string }>`
    SELECT race_id, results_hash FROM prediction_accuracy
    WHERE model = ${GRID_BASELINE_MODEL}`.execute(db);
  const storedHash = new Map(stored.rows.map((r) => [r.race_id, r.results_hash]));
  const stale = new Set<number>();
  for (const [raceId, rows] of Map.groupBy(results.rows, (r) => r.race_id)) {
    if (storedHash.get(raceId) !== resultsHash(rows)) stale.add(raceId);
  }
  const orphans = await sql<{ race_id: number }>`
    SELECT DISTINCT s.race_id FROM prediction_sets s
    WHERE s.superseded_at IS NULL
      AND EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = s.race_id)
      AND NOT EXISTS (SELECT 1 FROM prediction_accuracy a WHERE a.set_id = s.id)
    UNION
    SELECT DISTINCT a.race_id FROM prediction_accuracy a
    WHERE NOT EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = a.race_id)`.execute(db);
  for (const r of orphans.rows) stale.add(r.race_id);
  return [...stale].sort((a, b) => a - b);
}
