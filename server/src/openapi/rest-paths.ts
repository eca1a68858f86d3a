/**
 * REST paths for procedures that do not declare `meta({ openapi })` themselves (the read routers and
 * auth do, next to the procedure); a procedure in both places is an error (rest-view.ts).
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
  Leaderboard,
  RaceAccuracyReport,
  RatingHistory,
  RatingsAsOf,
} from './schemas/analytics.ts';
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
    errorResponses: [404, 409, 412],
  },
  'predictions.submitBulk': {
    method: 'POST',
    path: '/predictions/bulk',
    tags: ['predictions'],
    summary: 'Submit predictions for many races at once',
    description: 'All or nothing (backfills): one result per set, in order.',
    output: BulkSubmissionResult,
    errorResponses: [404, 409, 412],
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
  'accuracy.byRace': {
    method: 'GET',
    path: `${RACE}/accuracy`,
    tags: ['accuracy'],
    summary: 'How well each model predicted a race',
    description:
      "Each model's current set scored against the result, next to the grid-position baseline; " +
      '`backtest=true` for backtest sets.',
    output: RaceAccuracyReport,
  },
  'accuracy.leaderboard': {
    method: 'GET',
    path: '/accuracy/leaderboard',
    tags: ['accuracy'],
    summary: 'Models ranked by accuracy',
    description:
      'Over a `season`, or the last `lastRaces` races (rolling), ranked by `rankBy` (default ' +
      '`brierWin`), with sample sizes and the grid baseline over the same races.',
    output: Leaderboard,
  },
  'ratings.drivers': {
    method: 'GET',
    path: '/ratings/drivers',
    tags: ['ratings'],
    summary: 'Driver ELO ratings',
    description: 'As of a race (default: the latest rated race), highest first.',
    output: RatingsAsOf,
    errorResponses: [404],
  },
  'ratings.teams': {
    method: 'GET',
    path: '/ratings/teams',
    tags: ['ratings'],
    summary: 'Team ELO ratings',
    description: 'As of a race (default: the latest rated race), highest first.',
    output: RatingsAsOf,
    errorResponses: [404],
  },
  'ratings.history': {
    method: 'GET',
    path: '/ratings/history',
    tags: ['ratings'],
    summary: "One driver's or team's rating, race by race",
    description: 'Give exactly one of `driverId` or `teamId`.',
    output: RatingHistory,
    errorResponses: [404],
  },
};

/** Procedures deliberately not on REST, and why. */
export const NOT_ON_REST: Record<string, string> = {
  'predictions.onUpdate':
    'a subscription (Server-Sent Events): OpenAPI 3 cannot describe it; use /trpc or the SDK',
};
