/**
 * @f1-analytics/sdk — the typed client for the F1 Analytics API.
 *
 * Everything here is typed from the server's router: a procedure that changes on the server changes
 * these types, and code using the SDK stops compiling where it no longer fits.
 */
export {
  createF1Client,
  type EventSourceClass,
  type F1ClientOptions,
  type FetchLike,
  trpcUrl,
} from './client.ts';
export { API_KEY_HEADER, type HeadersSource, type TokenSource } from './credentials.ts';
export { errorDetails, type F1ErrorDetails, isF1ClientError } from './errors.ts';
export type { F1Session } from './session.ts';
export type {
  AppRouter,
  Circuit,
  ConstructorStandingRow,
  ConstructorStandings,
  Driver,
  DriverPage,
  DriverResult,
  DriverStandings,
  F1Client,
  F1ClientError,
  HealthStatus,
  LapTiming,
  LeaderboardEntry,
  ModelSummary,
  PitStop,
  Prediction,
  PredictionSet,
  PredictionSubmission,
  PredictionUpdate,
  PredictionUpdateEvent,
  QualifyingResult,
  Race,
  RaceAccuracyReport,
  RaceLaps,
  RacePitStops,
  RacePredictions,
  RaceResult,
  RaceResults,
  RatingHistory,
  RatingStanding,
  RatingsAsOf,
  RouterInputs,
  RouterOutputs,
  SprintResult,
  StandingRow,
  SubmittedPredictionSet,
  Team,
  WeatherObservation,
} from './types.ts';
