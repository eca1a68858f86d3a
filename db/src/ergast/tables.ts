/**
 * The Ergast dialect's reference tables (`seasons`, `drivers`, `constructors`, `circuits`, `status`)
 * under the dialect's filters (./filter.ts). Each returns every matching row; the facade sorts
 * and pages (a few hundred rows at most: the whole drivers table is ~860), so the order follows the
 * source's collation on both back ends.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import {
  CIRCUIT_COLUMNS,
  type CircuitColumns,
  DRIVER_COLUMNS,
  type DriverColumns,
  TEAM_COLUMNS,
  type TeamColumns,
} from './columns.ts';
import {
  type ErgastFilter,
  matchingRaces,
  matchingResults,
  needsResults,
  noFilter,
} from './filter.ts';

export interface SeasonRow {
  season: number;
  url: string | null;
}

/** Seasons with a race in scope (with a matching result when the filter names one), ascending. */
export async function ergastSeasons(db: Kysely<DB>, filter: ErgastFilter): Promise<SeasonRow[]> {
  const seasons = needsResults(filter)
    ? matchingResults(db, filter).select('ra.season')
    : matchingRaces(db, filter).select('ra.season');
  return db
    .selectFrom(seasons.distinct().as('m'))
    .leftJoin('seasons as s', 's.year', 'm.season')
    .select(['m.season', 's.url'])
    .orderBy('m.season')
    .execute();
}

/** Drivers with a matching race result (every driver without a filter). */
export function ergastDrivers(db: Kysely<DB>, filter: ErgastFilter): Promise<DriverColumns[]> {
  let query = db.selectFrom('drivers as d').select(DRIVER_COLUMNS);
  if (!noFilter(filter))
    query = query.where('d.id', 'in', matchingResults(db, filter).select('r.driver_id'));
  return query.execute();
}

/** Constructors with a matching race result (every constructor without a filter), by ref. */
export function ergastConstructors(db: Kysely<DB>, filter: ErgastFilter): Promise<TeamColumns[]> {
  let query = db.selectFrom('teams as t').select(TEAM_COLUMNS);
  if (!noFilter(filter))
    query = query.where('t.id', 'in', matchingResults(db, filter).select('r.team_id'));
  return query.orderBy('t.team_ref').execute();
}

/** Circuits of races in scope (with a matching result when the filter names one), by ref. */
export function ergastCircuits(db: Kysely<DB>, filter: ErgastFilter): Promise<CircuitColumns[]> {
  let query = db.selectFrom('circuits as c').select(CIRCUIT_COLUMNS);
  if (!noFilter(filter)) {
    const races = needsResults(filter) ? matchingResults(db, filter) : matchingRaces(db, filter);
    query = query.where('c.id', 'in', races.select('ra.circuit_id'));
  }
  return query.orderBy('c.circuit_ref').execute();
}

export interface ErgastStatusRow {
  status_id: number | null;
  status: string;
  count: number;
}

/** Matching race results counted per status text, with the source's id for the text (if known). */
export async function ergastStatuses(
  db: Kysely<DB>,
  filter: ErgastFilter,
): Promise<ErgastStatusRow[]> {
  const counts = matchingResults(db, filter)
    .select((eb) => ['r.status', eb.fn.countAll<number>().as('count')])
    .where('r.status', 'is not', null)
    .groupBy('r.status');
  const rows = await db
    .selectFrom(counts.as('c'))
    .leftJoin('statuses as s', 's.status', 'c.status')
    .select(['s.id as status_id', 'c.status', 'c.count'])
    .execute();
  return rows.flatMap((r) =>
    r.status === null ? [] : [{ status_id: r.status_id, status: r.status, count: Number(r.count) }],
  );
}
