/**
 * How much race data the database holds, for `/health` and the server's start-up line: the number of
 * seasons with at least one race with results, and the last race with results. One statement over
 * indexed columns (`race_results` by race, `races` by season and round).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface DataSummary {
  seasons: number;
  lastRace: { season: number; round: number; name: string; date: string } | null;
}

export async function dataSummary(db: Kysely<DB>): Promise<DataSummary> {
  const { rows } = await sql<{
    seasons: number | string;
    season: number | null;
    round: number | null;
    name: string | null;
    date: string | null;
  }>`
    WITH raced AS (
      SELECT r.season, r.round, r.name, r.date FROM races r
      WHERE EXISTS (SELECT 1 FROM race_results rr WHERE rr.race_id = r.id)
    )
    SELECT (SELECT count(DISTINCT season) FROM raced) AS seasons, last.season, last.round, last.name, last.date
    FROM (SELECT 1) one
    LEFT JOIN (SELECT * FROM raced ORDER BY season DESC, round DESC LIMIT 1) last ON true
  `.execute(db);
  const row = rows[0];
  const lastRace =
    row?.season != null && row.round != null && row.name != null && row.date != null
      ? { season: row.season, round: row.round, name: row.name, date: row.date }
      : null;
  return { seasons: Number(row?.seasons ?? 0), lastRace };
}
