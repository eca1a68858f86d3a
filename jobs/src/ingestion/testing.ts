/** Test helpers for ingestion: a source-independent dump of a season, for comparing two databases. */
import type { DB } from '@f1/db/schema';
import { type Kysely, type RawBuilder, sql } from 'kysely';

type Row = Record<string, unknown>;

/** Every stored fact of a season keyed by refs (no surrogate ids, no timestamps of our own). */
export async function dumpSeason(db: Kysely<DB>, season: number) {
  const rows = async (query: RawBuilder<Row>) => (await query.execute(db)).rows;
  return {
    season: await rows(sql<Row>`SELECT year, url FROM seasons WHERE year = ${season}`),
    races: await rows(sql<Row>`
      SELECT r.round, r.name, r.date, r.starts_at, r.url, c.circuit_ref, c.name AS circuit, c.latitude, c.longitude
      FROM races r JOIN circuits c ON c.id = r.circuit_id WHERE r.season = ${season} ORDER BY r.round`),
    sessions: await rows(sql<Row>`
      SELECT r.round, s.kind, s.date, s.starts_at FROM race_sessions s JOIN races r ON r.id = s.race_id
      WHERE r.season = ${season} ORDER BY r.round, s.kind`),
    results: await rows(sql<Row>`
      SELECT r.round, d.driver_ref, d.given_name, d.family_name, d.code, d.permanent_number, x.entry, t.team_ref, t.name AS team,
             x.number, x.grid, x.position, x.position_order, x.position_text, x.points, x.laps, x.time_millis, x.time_text,
             x.fastest_lap, x.fastest_lap_rank, x.fastest_lap_millis, x.fastest_lap_speed_kph, x.status
      FROM race_results x JOIN races r ON r.id = x.race_id JOIN drivers d ON d.id = x.driver_id LEFT JOIN teams t ON t.id = x.team_id
      WHERE r.season = ${season} ORDER BY r.round, x.position_order, d.driver_ref, x.entry`),
    sprint: await rows(sql<Row>`
      SELECT r.round, d.driver_ref, t.team_ref, x.number, x.grid, x.position, x.position_order, x.position_text, x.points,
             x.laps, x.time_millis, x.time_text, x.fastest_lap, x.fastest_lap_millis, x.status
      FROM sprint_results x JOIN races r ON r.id = x.race_id JOIN drivers d ON d.id = x.driver_id LEFT JOIN teams t ON t.id = x.team_id
      WHERE r.season = ${season} ORDER BY r.round, x.position_order`),
    qualifying: await rows(sql<Row>`
      SELECT r.round, d.driver_ref, t.team_ref, x.number, x.position, x.q1_millis, x.q2_millis, x.q3_millis
      FROM qualifying_results x JOIN races r ON r.id = x.race_id JOIN drivers d ON d.id = x.driver_id LEFT JOIN teams t ON t.id = x.team_id
      WHERE r.season = ${season} ORDER BY r.round, x.position`),
  };
}
