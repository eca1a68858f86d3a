/**
 * The facade's race-level reads: what `current`, `last` and `next` mean on our data, the schedule
 * (`races`), and the race header (with its circuit) every RaceTable answer carries.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, SessionKind } from '../schema.ts';
import { CIRCUIT_COLUMNS, type CircuitColumns } from './columns.ts';
import { type ErgastFilter, raceIdsInScope } from './filter.ts';
import { type Paging, paged } from './paging.ts';

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
export interface RaceHeader extends CircuitColumns {
  id: number;
  season: number;
  round: number;
  url: string | null;
  name: string;
  date: string;
  starts_at: Date | null;
}

/** The races (`ra`) with their circuits (`c`), each row a `RaceHeader`. */
const headers = (db: Kysely<DB>) =>
  db
    .selectFrom('races as ra')
    .innerJoin('circuits as c', 'c.id', 'ra.circuit_id')
    .select([
      'ra.id',
      'ra.season',
      'ra.round',
      'ra.url',
      'ra.name',
      'ra.date',
      'ra.starts_at',
      ...CIRCUIT_COLUMNS,
    ]);

/** The headers of these races, by id. */
export async function raceHeaders(
  db: Kysely<DB>,
  raceIds: readonly number[],
): Promise<Map<number, RaceHeader>> {
  if (raceIds.length === 0) return new Map();
  const rows = await headers(db)
    .where('ra.id', 'in', [...new Set(raceIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** The schedule: races in scope of `filter`, in season/round order, paged by race. */
export async function scheduleRaces(
  db: Kysely<DB>,
  filter: ErgastFilter,
  page: Paging,
): Promise<{ total: number; races: RaceHeader[] }> {
  const { total, rows } = await paged(
    headers(db).where('ra.id', 'in', raceIdsInScope(db, filter)),
    (from) => from.orderBy('ra.season').orderBy('ra.round'),
    page,
  );
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
