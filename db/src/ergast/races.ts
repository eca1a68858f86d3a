/**
 * The facade's race-level reads: what `current`, `last` and `next` mean on our data, the schedule
 * (`races`), and the race header (with its circuit) every RaceTable answer carries.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, SessionKind } from '../schema.ts';
import { type ErgastScope, scopeConditions, whereAll } from './scope.ts';

export interface Paging {
  limit: number;
  offset: number;
}

/** The latest season with races, not after `year` (a calendar published early does not count yet). */
export async function currentSeason(db: Kysely<DB>, year: number): Promise<number | null> {
  const row = await db
    .selectFrom('races')
    .select((eb) => eb.fn.max('season').as('season'))
    .where('season', '<=', year)
    .executeTakeFirst();
  if (row?.season != null) return row.season;
  const any = await db
    .selectFrom('races')
    .select((eb) => eb.fn.min('season').as('season'))
    .executeTakeFirst();
  return any?.season ?? null;
}

/**
 * The season's final round and its first round without race results (the source's `last`/`next`
 * inputs: jolpica `resolve_relative_filters`).
 */
export async function seasonProgress(
  db: Kysely<DB>,
  season: number,
): Promise<{ final: number | null; next: number | null }> {
  const { rows } = await sql<{ final: number | null; next: number | null }>`
    SELECT max(r.round) AS final,
           min(r.round) FILTER (WHERE NOT EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id)) AS next
    FROM races r WHERE r.season = ${season}
  `.execute(db);
  return rows[0] ?? { final: null, next: null };
}

/** A race header: the race and its circuit, as the dialect prints them. */
export interface RaceHeader {
  id: number;
  season: number;
  round: number;
  url: string | null;
  name: string;
  date: string;
  starts_at: Date | null;
  circuit_ref: string;
  circuit_url: string | null;
  circuit_name: string;
  latitude: number | null;
  longitude: number | null;
  locality: string | null;
  country: string | null;
}

const HEADER = sql`r.id, r.season, r.round, r.url, r.name, r.date, r.starts_at,
  c.circuit_ref, c.url AS circuit_url, c.name AS circuit_name, c.latitude, c.longitude, c.locality, c.country`;

/** The headers of these races, by id. */
export async function raceHeaders(
  db: Kysely<DB>,
  raceIds: readonly number[],
): Promise<Map<number, RaceHeader>> {
  if (raceIds.length === 0) return new Map();
  const { rows } = await sql<RaceHeader>`
    SELECT ${HEADER} FROM races r JOIN circuits c ON c.id = r.circuit_id
    WHERE r.id IN (${sql.join([...new Set(raceIds)])})
  `.execute(db);
  return new Map(rows.map((row) => [row.id, row]));
}

/** The schedule: races matching `scope`, in season/round order, paged by race. */
export async function scheduleRaces(
  db: Kysely<DB>,
  scope: ErgastScope,
  page: Paging,
): Promise<{ total: number; races: RaceHeader[] }> {
  const where = whereAll(scopeConditions(scope, { race: 'r', circuit: 'c' }));
  const from = sql`FROM races r JOIN circuits c ON c.id = r.circuit_id ${where}`;
  const count = await sql<{ total: number }>`SELECT count(*)::int AS total ${from}`.execute(db);
  const total = count.rows[0]?.total ?? 0;
  if (total === 0 || page.offset >= total) return { total, races: [] };
  const { rows } = await sql<RaceHeader>`
    SELECT ${HEADER} ${from} ORDER BY r.season, r.round LIMIT ${page.limit} OFFSET ${page.offset}
  `.execute(db);
  return { total, races: rows };
}

export interface SessionRow {
  race_id: number;
  kind: SessionKind;
  date: string;
  starts_at: Date | null;
}

/** The sessions (practice, qualifying, sprint) of these races, in time order. */
export async function raceSessions(
  db: Kysely<DB>,
  raceIds: readonly number[],
): Promise<SessionRow[]> {
  if (raceIds.length === 0) return [];
  return db
    .selectFrom('race_sessions')
    .select(['race_id', 'kind', 'date', 'starts_at'])
    .where('race_id', 'in', [...raceIds])
    .orderBy('race_id')
    .orderBy('date')
    .orderBy('starts_at')
    .execute();
}
