/**
 * The Ergast dialect's path grammar (`../shared/docs/ergast-api.md`, jolpica-f1 `ergastapi/urls.py`):
 *
 *   {prefix}/[{season|current}/[{round|last|next}/]][{filter}/{value}/…]{endpoint}[/{value}](.json|/)
 *
 * with `prefix` `/ergast/f1` or `/api/f1`. Filters come in any order. The last segment is either an
 * endpoint name alone (`/2023/drivers.json`) or an endpoint name with a value (`/2023/results/2.json`:
 * results with position 2; `/circuits/monaco.json`: the circuit monaco): the value is then the filter of
 * that name. A path with no endpoint after season (and round) is the schedule (`/2023.json`, `/2023/5.json`).
 *
 * Parsing is pure: `current`, `last` and `next` stay tokens until the answer resolves them against the data.
 * Anything the grammar does not allow is an `ErgastPathError` naming the segment (a 400, never a 500).
 */

export const ENDPOINTS = [
  'seasons',
  'races',
  'results',
  'sprint',
  'qualifying',
  'drivers',
  'constructors',
  'circuits',
  'status',
  'driverstandings',
  'constructorstandings',
  'laps',
  'pitstops',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** Filter names as they appear in paths (lower-cased), and what kind of value each takes. */
const FILTER_KINDS = {
  drivers: 'id',
  constructors: 'id',
  circuits: 'id',
  grid: 'int',
  results: 'int',
  fastest: 'int',
  status: 'int',
  sprint: 'int',
  qualifying: 'int',
  laps: 'int',
  pitstops: 'int',
  driverstandings: 'int',
  constructorstandings: 'int',
} as const;
export type FilterName = keyof typeof FILTER_KINDS;

/**
 * The filters of a request, by meaning. `position` is `results/{n}` (race finishing position);
 * `sprintPosition`, `qualifyingPosition`, `lap`, `stop`, `driverStandingsPosition` and
 * `constructorStandingsPosition` are the value forms of those endpoints (`/2023/qualifying/1.json`).
 */
export interface ErgastFilters {
  driverId?: string;
  constructorId?: string;
  circuitId?: string;
  grid?: number;
  position?: number;
  fastest?: number;
  status?: number;
  sprintPosition?: number;
  qualifyingPosition?: number;
  lap?: number;
  stop?: number;
  driverStandingsPosition?: number;
  constructorStandingsPosition?: number;
}

const FILTER_FIELD: Record<FilterName, keyof ErgastFilters> = {
  drivers: 'driverId',
  constructors: 'constructorId',
  circuits: 'circuitId',
  grid: 'grid',
  results: 'position',
  fastest: 'fastest',
  status: 'status',
  sprint: 'sprintPosition',
  qualifying: 'qualifyingPosition',
  laps: 'lap',
  pitstops: 'stop',
  driverstandings: 'driverStandingsPosition',
  constructorstandings: 'constructorStandingsPosition',
};

export interface ErgastPath {
  season: number | 'current' | null;
  round: number | 'last' | 'next' | null;
  filters: ErgastFilters;
  endpoint: Endpoint;
}

/** Paging as the dialect has it: limit defaults to 30 and is clamped to 100; both count innermost rows. */
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;
/** Far past any list's length (a season of laps is ~25,000 rows): an offset beyond is named, not run. */
const MAX_OFFSET = 999_999_999;

export interface ErgastPaging {
  limit: number;
  offset: number;
}

/** A request the grammar does not allow: answered 400 with `message` (which names the segment). */
export class ErgastPathError extends Error {
  override readonly name = 'ErgastPathError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export const ERGAST_PREFIXES = ['/ergast/f1', '/api/f1'] as const;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const INT = /^(0|[1-9][0-9]{0,5})$/;
const MAX_FILTER_VALUE = 32_767;
const SEASON = /^[0-9]{4}$/;
const ROUND = /^[0-9]{1,3}$/;

function isEndpoint(name: string): name is Endpoint {
  return (ENDPOINTS as readonly string[]).includes(name);
}

function isFilter(name: string): name is FilterName {
  return Object.hasOwn(FILTER_KINDS, name);
}

function setFilter(filters: ErgastFilters, name: FilterName, raw: string): void {
  const field = FILTER_FIELD[name];
  if (FILTER_KINDS[name] === 'id') {
    if (!ID.test(raw)) throw new ErgastPathError(`${name}: "${raw}" is not an id`, name);
    (filters as Record<string, unknown>)[field] = raw;
    return;
  }
  if (!INT.test(raw)) throw new ErgastPathError(`${name}: "${raw}" is not a whole number`, name);
  const value = Number(raw);
  // Positions, grid slots, laps, stops and ranks are stored as smallint: a larger value is no filter
  // any row could match, and named as such rather than sent to the database.
  if (value > MAX_FILTER_VALUE)
    throw new ErgastPathError(`${name}: ${raw} is out of range (0–${MAX_FILTER_VALUE})`, name);
  (filters as Record<string, unknown>)[field] = value;
}

/**
 * Parses the part of the path after the prefix (`/2023/5/results.json`). The trailing `.json` or `/`
 * is optional, as it is for the source's clients; segments compare case-insensitively
 * (`driverStandings`), ids keep their case.
 */
export function parseErgastPath(rest: string): ErgastPath {
  let path = rest;
  if (path.toLowerCase().endsWith('.json')) path = path.slice(0, -'.json'.length);
  const segments = path.split('/').filter((s) => s !== '');
  let i = 0;
  let season: ErgastPath['season'] = null;
  let round: ErgastPath['round'] = null;
  const first = segments[0]?.toLowerCase();
  if (first !== undefined && (first === 'current' || SEASON.test(first))) {
    season = first === 'current' ? 'current' : Number(first);
    i = 1;
    const second = segments[1]?.toLowerCase();
    if (second !== undefined && (second === 'last' || second === 'next' || ROUND.test(second))) {
      round = second === 'last' || second === 'next' ? second : Number(second);
      i = 2;
    }
  }
  const filters: ErgastFilters = {};
  let endpoint: Endpoint | null = null;
  const seen = new Set<string>();
  while (i < segments.length) {
    const name = (segments[i] as string).toLowerCase();
    const value = segments[i + 1];
    if (value === undefined) {
      if (!isEndpoint(name))
        throw new ErgastPathError(`"${segments[i]}" is not an endpoint of this API`, 'endpoint');
      endpoint = name;
      i += 1;
      break;
    }
    if (!isFilter(name))
      throw new ErgastPathError(`"${segments[i]}" is not a filter of this API`, 'filter');
    if (seen.has(name)) throw new ErgastPathError(`${name}: given twice`, name);
    seen.add(name);
    setFilter(filters, name, value);
    i += 2;
    if (i === segments.length) {
      // `/2023/results/2.json`: the last filter is also the endpoint.
      if (!isEndpoint(name))
        throw new ErgastPathError(
          `"${segments[i - 2]}" is not an endpoint of this API`,
          'endpoint',
        );
      endpoint = name;
    }
  }
  if (endpoint === null) {
    if (season === null) throw new ErgastPathError('no endpoint in the path', 'endpoint');
    endpoint = 'races';
  }
  return { season, round, filters, endpoint };
}

/**
 * `limit` and `offset` from the query string: whole numbers; limit defaults to 30 (also for `limit=0`,
 * as Jolpica's paginator has it) and is clamped to 100 (the source's clamp, echoed in `MRData.limit`),
 * offset defaults to 0. Anything else is a 400 naming the parameter.
 */
export function parseErgastPaging(params: URLSearchParams): ErgastPaging {
  const read = (name: 'limit' | 'offset'): number | null => {
    const raw = params.get(name);
    if (raw === null || raw === '') return null;
    if (!/^[0-9]{1,15}$/.test(raw))
      throw new ErgastPathError(`${name}: "${raw}" is not a whole number`, name);
    const value = Number(raw);
    if (name === 'offset' && value > MAX_OFFSET)
      throw new ErgastPathError(`offset: ${raw} is out of range (0–${MAX_OFFSET})`, name);
    return value;
  };
  const limit = read('limit');
  const offset = read('offset');
  return {
    limit: limit === null || limit === 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT),
    offset: offset ?? 0,
  };
}
