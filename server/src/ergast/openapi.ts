/**
 * The Ergast-compatible facade in the OpenAPI document: one tag, `Ergast`, with a path per endpoint
 * (season-wide and per round), served under `/ergast/f1` and `/api/f1` (path-level `servers`, since
 * the document's own server is `/api/v1`). Filters are path segments in any order, which OpenAPI
 * templates cannot express: each operation describes them, and lists the season and round forms.
 */
import type { OpenAPIObject } from 'trpc-to-openapi';
import { ERROR_RESPONSES } from '../openapi/errors.ts';
import { ERGAST_PREFIXES } from './query.ts';

type Paths = NonNullable<OpenAPIObject['paths']>;
type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

export const ERGAST_TAG = {
  name: 'Ergast',
  description:
    'The Ergast / Jolpica-F1 dialect served from this database: drop-in for FastF1 (`fastf1.ergast`), ergast-py, f1dataR and other Ergast clients. ' +
    '`{season|current}/{round|last|next}/[filters…]/{endpoint}.json` (or a trailing `/`); filters `drivers/{id}`, `constructors/{id}`, `circuits/{id}`, `grid/{n}`, `results/{pos}`, `fastest/{rank}`, `status/{id}` in any order before the endpoint. ' +
    'Every scalar is a string; `limit` (default 30, at most 100) and `offset` count the innermost rows, so a race may split across pages. Unknown seasons and rounds answer 200 with an empty list.',
};

/** Endpoint → the table it answers with, and whether it is per race only. */
const ENDPOINTS: [string, string, 'season' | 'race' | 'none', string][] = [
  ['seasons', 'SeasonTable', 'none', 'Seasons, optionally narrowed by filters.'],
  [
    'races',
    'RaceTable',
    'season',
    'The schedule, with session blocks (practice, qualifying, sprint).',
  ],
  ['results', 'RaceTable', 'season', 'Race results, paged by result row.'],
  ['sprint', 'RaceTable', 'season', 'Sprint results, paged by result row.'],
  ['qualifying', 'RaceTable', 'season', 'Qualifying results (Q1–Q3), paged by row.'],
  ['drivers', 'DriverTable', 'season', 'Drivers who took part.'],
  ['constructors', 'ConstructorTable', 'season', 'Constructors that took part.'],
  ['circuits', 'CircuitTable', 'season', 'Circuits raced at.'],
  ['status', 'StatusTable', 'season', 'Finishing statuses with their counts.'],
  [
    'driverstandings',
    'StandingsTable',
    'season',
    'Driver standings after the round (or the season).',
  ],
  [
    'constructorstandings',
    'StandingsTable',
    'season',
    'Constructor standings after the round (or the season).',
  ],
  ['laps', 'RaceTable', 'race', 'Lap timings of one race, paged by timing.'],
  ['pitstops', 'RaceTable', 'race', 'Pit stops of one race, in the order they happened.'],
];

const SEASON = {
  name: 'season',
  in: 'path',
  required: true,
  description: 'A year, or `current` (the latest season with races).',
  schema: { type: 'string', pattern: '^([0-9]{4}|current)$' },
};
const ROUND = {
  name: 'round',
  in: 'path',
  required: true,
  description:
    'A round, `last` (the last round with results) or `next` (the round after it; may be round 1 of the next season).',
  schema: { type: 'string', pattern: '^([0-9]{1,3}|last|next)$' },
};
const PAGING = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: 'Rows per page: default 30, at most 100 (`MRData.limit` says what was used).',
    schema: { type: 'integer', minimum: 0 },
  },
  {
    name: 'offset',
    in: 'query',
    required: false,
    description: 'Rows to skip (innermost rows: results, timings, …).',
    schema: { type: 'integer', minimum: 0 },
  },
];

const error = (status: keyof typeof ERROR_RESPONSES) => ({
  $ref: `#/components/responses/${ERROR_RESPONSES[status]}`,
});

function operation(endpoint: string, table: string, summary: string, parameters: object[]) {
  return {
    tags: [ERGAST_TAG.name],
    summary,
    operationId: `ergast-${endpoint}-${parameters.filter((p) => 'in' in p && p.in === 'path').length}`,
    security: [{}, { bearerAuth: [] }, { apiKeyAuth: [] }],
    parameters: [...parameters, ...PAGING],
    responses: {
      '200': {
        description: `The \`MRData\` envelope with its \`${table}\`.`,
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/Ergast${table}Response` } },
        },
      },
      '400': error(400),
      '404': error(404),
      '429': error(429),
      '500': error(500),
      '503': error(503),
    },
  };
}

const SERVERS = ERGAST_PREFIXES.map((url) => ({ url }));

/** The facade's paths, relative to its prefixes. */
export function ergastPaths(): Paths {
  const paths: Record<string, unknown> = {};
  for (const [endpoint, table, scope, summary] of ENDPOINTS) {
    if (scope === 'none' || endpoint === 'circuits' || endpoint === 'drivers')
      paths[`/${endpoint}.json`] = {
        servers: SERVERS,
        get: operation(endpoint, table, summary, []),
      };
    if (scope === 'season')
      paths[`/{season}/${endpoint}.json`] = {
        servers: SERVERS,
        get: operation(endpoint, table, summary, [SEASON]),
      };
    if (scope !== 'none')
      paths[`/{season}/{round}/${endpoint}.json`] = {
        servers: SERVERS,
        get: operation(endpoint, table, summary, [SEASON, ROUND]),
      };
  }
  return paths as Paths;
}

/** The envelope, one schema per table name (the table's own rows are described loosely). */
export function ergastSchemas(): Schemas {
  const schemas: Record<string, unknown> = {};
  for (const table of new Set(ENDPOINTS.map(([, t]) => t)))
    schemas[`Ergast${table}Response`] = {
      type: 'object',
      required: ['MRData'],
      properties: {
        MRData: {
          type: 'object',
          required: ['xmlns', 'series', 'url', 'limit', 'offset', 'total', table],
          properties: {
            xmlns: { type: 'string', const: '' },
            series: { type: 'string', const: 'f1' },
            url: {
              type: 'string',
              description: 'The request URL, lower-cased, without the query.',
            },
            limit: { type: 'string', pattern: '^[0-9]+$' },
            offset: { type: 'string', pattern: '^[0-9]+$' },
            total: { type: 'string', pattern: '^[0-9]+$' },
            [table]: {
              type: 'object',
              description:
                'The filters of the request (`season`, `round`, `driverId`, …) as strings, then the list.',
              additionalProperties: true,
            },
          },
        },
      },
    };
  return schemas as Schemas;
}
