/**
 * What every endpoint does with a request's filters: the SQL scope (`@f1/db/ergast/scope`), the
 * filters echoed on the table object (the source's names and order), and refusing a filter the
 * endpoint cannot apply (jolpica answers 400 "Unsupported filter for endpoint").
 */
import type { ErgastScope } from '@f1/db/ergast/scope';
import { type ErgastFilters, ErgastPathError } from '../query.ts';
import type { ErgastRequest } from '../types.ts';

/** The common scope of a request: season, round and the shared filters. */
export function scopeOf(request: ErgastRequest): ErgastScope {
  const f = request.filters;
  return {
    season: request.season ?? undefined,
    round: request.round ?? undefined,
    circuitId: f.circuitId,
    constructorId: f.constructorId,
    driverId: f.driverId,
    grid: f.grid,
    position: f.position,
    fastest: f.fastest,
    statusId: f.status,
  };
}

/** Echoed keys in the source's order (its URL pattern's group order; the endpoint's own value last). */
const ECHO: [keyof ErgastFilters, string][] = [
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
  omit: readonly (keyof ErgastFilters)[] = [],
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

const PATH_NAME: Record<keyof ErgastFilters, string> = {
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

/** The filters every race-level endpoint applies. */
export const COMMON_FILTERS: readonly (keyof ErgastFilters)[] = [
  'driverId',
  'constructorId',
  'circuitId',
  'grid',
  'position',
  'fastest',
  'status',
];

/**
 * Refuses a request with a filter outside `allowed`, or without the season/round an endpoint needs
 * (laps and pit stops are per race): an `ErgastPathError`, answered 400 naming the segment.
 */
export function requireSupported(
  request: ErgastRequest,
  allowed: readonly (keyof ErgastFilters)[],
  needs: { season?: boolean; round?: boolean } = {},
): void {
  for (const field of Object.keys(request.filters) as (keyof ErgastFilters)[]) {
    if (request.filters[field] !== undefined && !allowed.includes(field))
      throw new ErgastPathError(
        `${PATH_NAME[field]}: not a filter of ${request.endpoint}`,
        PATH_NAME[field],
      );
  }
  if (needs.season && request.season === null)
    throw new ErgastPathError(`${request.endpoint}: needs a season`, 'season');
  if (needs.round && request.round === null)
    throw new ErgastPathError(`${request.endpoint}: needs a round`, 'round');
}
