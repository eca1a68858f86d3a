/**
 * THE REST surface: which procedure answers which `METHOD /path` under /api/v1. Procedures may also
 * declare `meta({ openapi })` themselves; a procedure in both places is an error (rest-view.ts).
 *
 * Every query and mutation of the router must be either here (or declare `meta.openapi`), or listed in
 * NOT_ON_REST with the reason; rest-paths.test.ts fails on a procedure that is neither, so a new
 * procedure cannot be left out of the REST API by accident.
 *
 * `output` documents a procedure that declares no `.output()` (see schemas/): it is only used for
 * the document, never to validate answers.
 */
import type { z } from 'zod';
import type { OpenApiOperation } from './meta.ts';
import {
  BulkSubmissionResult,
  ModelList,
  RacePredictions,
  SubmittedPredictionSet,
} from './schemas/predictions.ts';

export interface RestPath extends OpenApiOperation {
  output?: z.ZodType;
}

const RACE = '/seasons/{season}/races/{round}';

export const REST_PATHS: Record<string, RestPath> = {
  'drivers.list': {
    method: 'GET',
    path: '/drivers',
    tags: ['drivers'],
    summary: 'List drivers',
    description:
      'Alphabetical, paged with `cursor`; filter by `season` or `search` (name or code).',
  },
  'drivers.get': {
    method: 'GET',
    path: '/drivers/{driverId}',
    tags: ['drivers'],
    summary: 'A driver',
  },
  'drivers.results': {
    method: 'GET',
    path: '/drivers/{driverId}/results',
    tags: ['drivers'],
    summary: "A driver's race results",
    description: 'Newest first, paged with `cursor`; filter by `season`.',
  },
  'teams.list': {
    method: 'GET',
    path: '/teams',
    tags: ['teams'],
    summary: 'List teams (constructors)',
  },
  'teams.get': { method: 'GET', path: '/teams/{teamId}', tags: ['teams'], summary: 'A team' },
  'circuits.list': {
    method: 'GET',
    path: '/circuits',
    tags: ['circuits'],
    summary: 'List circuits',
  },
  'circuits.get': {
    method: 'GET',
    path: '/circuits/{circuitId}',
    tags: ['circuits'],
    summary: 'A circuit',
  },
  'races.calendar': {
    method: 'GET',
    path: '/seasons/{season}/races',
    tags: ['races'],
    summary: "A season's calendar",
  },
  'races.get': { method: 'GET', path: RACE, tags: ['races'], summary: 'A race and its sessions' },
  'races.next': {
    method: 'GET',
    path: '/races/next',
    tags: ['races'],
    summary: 'The next race',
    description: '`null` when no race is scheduled.',
  },
  'races.last': {
    method: 'GET',
    path: '/races/last',
    tags: ['races'],
    summary: 'The last race with results',
    description: '`null` when no race has results yet.',
  },
  'races.results': {
    method: 'GET',
    path: `${RACE}/results`,
    tags: ['races'],
    summary: 'Race results',
  },
  'races.qualifying': {
    method: 'GET',
    path: `${RACE}/qualifying`,
    tags: ['races'],
    summary: 'Qualifying results',
  },
  'races.sprint': {
    method: 'GET',
    path: `${RACE}/sprint`,
    tags: ['races'],
    summary: 'Sprint results',
    description: 'Empty `rows` for a race without a sprint.',
  },
  'races.weather': {
    method: 'GET',
    path: `${RACE}/weather`,
    tags: ['races'],
    summary: 'Weather observations at the race',
  },
  'standings.drivers': {
    method: 'GET',
    path: '/seasons/{season}/standings/drivers',
    tags: ['standings'],
    summary: "Drivers' championship standings",
    description:
      'After `round` (default: the last round with results). Race and sprint points; ties broken by countback.',
  },
  'standings.constructors': {
    method: 'GET',
    path: '/seasons/{season}/standings/constructors',
    tags: ['standings'],
    summary: "Constructors' championship standings",
    description: 'After `round` (default: the last round with results).',
  },
  'predictions.submit': {
    method: 'POST',
    path: '/predictions',
    tags: ['predictions'],
    summary: "Submit a model's predictions for one race",
    description:
      'For ML services (role `ml_service`, usually with an API key). Idempotent: an identical set, or a ' +
      'repeated `idempotencyKey`, answers `unchanged`. Live predictions are refused once the race is ' +
      'frozen (its start); `backtest: true` submits a retrospective set kept apart from live ones.',
    output: SubmittedPredictionSet,
  },
  'predictions.submitBulk': {
    method: 'POST',
    path: '/predictions/bulk',
    tags: ['predictions'],
    summary: 'Submit predictions for many races at once',
    description: 'All or nothing (backfills): one result per set, in order.',
    output: BulkSubmissionResult,
  },
  'predictions.list': {
    method: 'GET',
    path: `${RACE}/predictions`,
    tags: ['predictions'],
    summary: "A race's predictions",
    description:
      'Current live sets by default; `backtest=true` for backtest sets; `history=true` adds superseded sets.',
    output: RacePredictions,
  },
  'predictions.models': {
    method: 'GET',
    path: '/models',
    tags: ['predictions'],
    summary: 'Models with predictions',
    description: 'Every model, its versions and how many races each covers.',
    output: ModelList,
  },
};

/** Procedures deliberately not on REST, and why. */
export const NOT_ON_REST: Record<string, string> = {
  'predictions.onUpdate':
    'a subscription (Server-Sent Events): OpenAPI 3 cannot describe it; use /trpc or the SDK',
};
