/**
 * What every endpoint does with a request's filters: the db's `ErgastFilter` (`@f1/db/ergast/filter`),
 * the filters echoed on the table object (the source's names and order), refusing a filter the
 * endpoint cannot apply (jolpica answers 400 "Unsupported filter for endpoint") or a request without
 * the season/round it needs, paging of rows read whole, and the dialect's number format.
 */
import type { ErgastFilter } from '@f1/db/ergast/filter';
import { type ErgastFilters, ErgastPathError } from '../query.ts';
import type { ErgastRequest } from '../types.ts';

type FilterField = keyof ErgastFilters;

/** The request's season, round and race-result filters. */
export function filterOf(request: ErgastRequest): ErgastFilter {
  const f = request.filters;
  return {
    season: request.season ?? undefined,
    round: request.round ?? undefined,
    circuitRef: f.circuitId,
    driverRef: f.driverId,
    teamRef: f.constructorId,
    grid: f.grid,
    position: f.position,
    fastestRank: f.fastest,
    statusId: f.status,
  };
}

/** Echoed keys in the source's order (its URL pattern's group order; the endpoint's own value last). */
const ECHO: [FilterField, string][] = [
  ['circuitId', 'circuitId'],
  ['constructorId', 'constructorId'],
  ['driverId', 'driverId'],
  ['grid', 'grid'],
  ['position', 'position'],
  ['fastest', 'fastest'],
  ['status', 'status'],
  ['lap', 'lap'],
  ['stop', 'stop'],
  ['driverStandingsPosition', 'driverStandings'],
  ['constructorStandingsPosition', 'constructorStandings'],
];

/**
 * The filter values the table object repeats: `season`, `round`, then the filters in the source's
 * order, every value a string; `omit` names filters an endpoint does not echo (laps: `lap`).
 */
export function echoOf(
  request: ErgastRequest,
  omit: readonly FilterField[] = [],
): Record<string, string> {
  const echo: Record<string, string> = {};
  if (request.season !== null) echo.season = String(request.season);
  if (request.round !== null) echo.round = String(request.round);
  for (const [field, key] of ECHO) {
    const value = request.filters[field];
    if (value !== undefined && !omit.includes(field)) echo[key] = String(value);
  }
  return echo;
}

/** The path name of each filter field, for the 400 naming it. */
const PATH_NAME: Record<FilterField, string> = {
  driverId: 'drivers',
  constructorId: 'constructors',
  circuitId: 'circuits',
  grid: 'grid',
  position: 'results',
  fastest: 'fastest',
  status: 'status',
  sprintPosition: 'sprint',
  qualifyingPosition: 'qualifying',
  lap: 'laps',
  stop: 'pitstops',
  driverStandingsPosition: 'driverstandings',
  constructorStandingsPosition: 'constructorstandings',
};

/** The filters of a race result: what every race-level endpoint and reference table applies. */
export const COMMON_FILTERS: readonly FilterField[] = [
  'driverId',
  'constructorId',
  'circuitId',
  'grid',
  'position',
  'fastest',
  'status',
];

/** Throws the 400 for a filter outside `allowed` (the source's "Unsupported filter"), naming it. */
export function requireSupported(request: ErgastRequest, allowed: readonly FilterField[]): void {
  for (const field of Object.keys(request.filters) as FilterField[]) {
    if (request.filters[field] !== undefined && !allowed.includes(field))
      throw new ErgastPathError(
        `${PATH_NAME[field]}: not a filter of the ${request.endpoint} endpoint`,
        PATH_NAME[field],
      );
  }
}

/** The season of a request that needs one (standings; laps and pit stops are per race), else a 400. */
export function requireSeason(request: ErgastRequest): number {
  if (request.season === null)
    throw new ErgastPathError(`season: required for ${request.endpoint}`, 'season');
  return request.season;
}

/** The season and round of a request for one race (laps and pit stops), else a 400 naming the missing one. */
export function requireRace(request: ErgastRequest): { season: number; round: number } {
  const season = requireSeason(request);
  if (request.round === null)
    throw new ErgastPathError(`round: required for ${request.endpoint}`, 'round');
  return { season, round: request.round };
}

/** The page of `rows` the request asks for. */
export function page<T>(rows: readonly T[], request: ErgastRequest): T[] {
  return rows.slice(request.offset, request.offset + request.limit);
}

/** A count, points total or position as the dialect prints it: "12.5", "575". */
export function decimal(value: number): string {
  return String(Number(value));
}
