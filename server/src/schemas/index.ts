/**
 * The public domain schemas of the read API, each with a zod `.meta({ id })` so the OpenAPI bridge
 * names them as components. The SDK re-exports the inferred types from here.
 */
export {
  Circuit,
  CircuitPage,
  CircuitRef,
} from './circuits.ts';
export { Cursor, IsoDate, LapTime, PublicId, Round, Season } from './common.ts';
export {
  Driver,
  DriverPage,
  DriverRef,
  DriverResult,
  DriverResultPage,
  FastestLap,
} from './drivers.ts';
export {
  LapTiming,
  PitDuration,
  PitStop,
  QualifyingResult,
  QualifyingResults,
  Race,
  RaceLaps,
  RacePitStops,
  RaceResult,
  RaceResults,
  RaceSession,
  RaceWeather,
  SessionKind,
  SprintResult,
  SprintResults,
  WeatherObservation,
} from './races.ts';
export {
  ConstructorStandingRow,
  ConstructorStandings,
  DriverStandingRow,
  DriverStandings,
  type StandingRow,
} from './standings.ts';
export { Team, TeamPage, TeamRef } from './teams.ts';
