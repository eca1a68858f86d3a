/**
 * Types people annotate their code with, all derived from the server's router so they cannot drift:
 * what a procedure takes (`RouterInputs`) and what it returns after superjson (`RouterOutputs`,
 * with real `Date`s).
 */

import type { AppRouter } from '@f1/server';
import type { TRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type { AppRouter };

/** The typed client `createF1Client` returns: `client.<router>.<procedure>.query|mutate|subscribe`. */
export type F1Client = TRPCClient<AppRouter>;

/** Inputs of every procedure, e.g. `RouterInputs['health']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;

/** Outputs of every procedure as the client receives them, e.g. `RouterOutputs['health']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Any error a call can reject with: `code`, `message`, HTTP status and zod field errors on `data`. */
export type F1ClientError = TRPCClientError<AppRouter>;

/** The server's overall health, as `client.health.query()` returns it. */
export type HealthStatus = RouterOutputs['health'];

// Domain types, named after what they are rather than where they come from.

export type Driver = RouterOutputs['drivers']['get'];
export type DriverPage = RouterOutputs['drivers']['list'];
export type DriverResult = RouterOutputs['drivers']['results']['items'][number];
export type Team = RouterOutputs['teams']['get'];
export type Circuit = RouterOutputs['circuits']['get'];
export type Race = RouterOutputs['races']['get'];
export type RaceResults = RouterOutputs['races']['results'];
export type RaceResult = RaceResults['rows'][number];
export type QualifyingResult = RouterOutputs['races']['qualifying']['rows'][number];
export type SprintResult = RouterOutputs['races']['sprint']['rows'][number];
export type WeatherObservation = RouterOutputs['races']['weather']['observations'][number];
/** One page of a race's lap timings (`races.laps`), with the filtered total. */
export type RaceLaps = RouterOutputs['races']['laps'];
export type LapTiming = RaceLaps['items'][number];
export type RacePitStops = RouterOutputs['races']['pitStops'];
export type PitStop = RacePitStops['rows'][number];
export type DriverStandings = RouterOutputs['standings']['drivers'];
/** One row of the drivers' championship table. */
export type StandingRow = DriverStandings['rows'][number];
export type ConstructorStandings = RouterOutputs['standings']['constructors'];
export type ConstructorStandingRow = ConstructorStandings['rows'][number];
/** What an ML service submits for one race (`predictions.submit`). */
export type PredictionSubmission = RouterInputs['predictions']['submit'];
export type SubmittedPredictionSet = RouterOutputs['predictions']['submit'];
export type RacePredictions = RouterOutputs['predictions']['list'];
export type PredictionSet = RacePredictions['sets'][number];
/** One driver's predicted outcome within a set. */
export type Prediction = PredictionSet['entries'][number];
export type ModelSummary = RouterOutputs['predictions']['models'][number];
/** What a subscription yields. */
type Yielded<T> = T extends AsyncIterable<infer U, unknown, unknown> ? U : never;
/**
 * One `predictions.onUpdate` event: `data` says what changed; `id` is its place in the race's stream
 * (the client resumes from it after a reconnect, so nothing published meanwhile is missed).
 */
export type PredictionUpdateEvent = Yielded<RouterOutputs['predictions']['onUpdate']>;
/** "This race's predictions or accuracy changed": refetch what you show. */
export type PredictionUpdate = PredictionUpdateEvent['data'];
export type RaceAccuracyReport = RouterOutputs['accuracy']['byRace'];
export type LeaderboardEntry = RouterOutputs['accuracy']['leaderboard'][number];
export type RatingsAsOf = RouterOutputs['ratings']['drivers'];
export type RatingStanding = RatingsAsOf['ratings'][number];
export type RatingHistory = RouterOutputs['ratings']['history'];
