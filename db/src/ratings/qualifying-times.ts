/** Qualifying session times of every race (for the `elo-baseline` v2 post-qualifying stage). */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface QualifyingTimeRow {
  raceId: number;
  driverId: number;
  q1: number | null;
  q2: number | null;
  q3: number | null;
}

/** Every qualifying row with its Q1–Q3 times in milliseconds, grouped by race id. */
export async function qualifyingTimes(db: Kysely<DB>): Promise<Map<number, QualifyingTimeRow[]>> {
  const rows = await sql<QualifyingTimeRow>`
    SELECT race_id AS "raceId", driver_id AS "driverId", q1_millis AS q1, q2_millis AS q2, q3_millis AS q3
    FROM qualifying_results ORDER BY race_id, position, driver_id`.execute(db);
  const byRace = new Map<number, QualifyingTimeRow[]>();
  for (const row of rows.rows) {
    const list = byRace.get(row.raceId) ?? [];
    list.push(row);
    byRace.set(row.raceId, list);
  }
  return byRace;
}
