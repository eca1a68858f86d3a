import { z } from 'zod';
import { CircuitRef } from './circuits.ts';
import { IsoDate, LapTime, RaceHeader, Round, Season } from './common.ts';
import { DriverRef, FastestLap, Finish } from './drivers.ts';
import { TeamRef } from './teams.ts';

export const SessionKind = z
  .enum(['fp1', 'fp2', 'fp3', 'sprint_qualifying', 'sprint', 'qualifying'])
  .meta({ id: 'SessionKind' });

export const RaceSession = z
  .object({
    kind: SessionKind,
    date: IsoDate,
    startsAt: z.date().nullable().describe('UTC; null when the source gives only the day'),
  })
  .meta({ id: 'RaceSession' });
export type RaceSession = z.infer<typeof RaceSession>;

export const Race = z
  .object({
    season: Season,
    round: Round,
    name: z.string(),
    date: IsoDate,
    startsAt: z.date().nullable().describe('race start, UTC; null when only the day is known'),
    url: z.string().nullable(),
    circuit: CircuitRef,
    sessions: z.array(RaceSession).describe('practice, qualifying and sprint sessions, in order'),
  })
  .meta({ id: 'Race' });
export type Race = z.infer<typeof Race>;

export const SeasonInput = z.strictObject({ season: Season });
export const RaceInput = z.strictObject({ season: Season, round: Round });

export const RaceResult = z
  .object({
    driver: DriverRef,
    team: TeamRef.nullable(),
    ...Finish,
    fastestLap: FastestLap.nullable(),
  })
  .meta({ id: 'RaceResult' });
export type RaceResult = z.infer<typeof RaceResult>;

export const SprintResult = z
  .object({
    driver: DriverRef,
    team: TeamRef.nullable(),
    ...Finish,
    fastestLap: FastestLap.nullable(),
  })
  .meta({ id: 'SprintResult' });
export type SprintResult = z.infer<typeof SprintResult>;

export const QualifyingResult = z
  .object({
    position: z.number().int(),
    driver: DriverRef,
    team: TeamRef.nullable(),
    number: z.number().int().nullable(),
    q1: LapTime.nullable(),
    q2: LapTime.nullable(),
    q3: LapTime.nullable(),
  })
  .meta({ id: 'QualifyingResult' });
export type QualifyingResult = z.infer<typeof QualifyingResult>;

export const RaceResults = z
  .object({ ...RaceHeader, rows: z.array(RaceResult) })
  .meta({ id: 'RaceResults' });
export const SprintResults = z
  .object({
    ...RaceHeader,
    rows: z.array(SprintResult).describe('empty for a race without a sprint'),
  })
  .meta({ id: 'SprintResults' });
export const QualifyingResults = z
  .object({ ...RaceHeader, rows: z.array(QualifyingResult) })
  .meta({ id: 'QualifyingResults' });

export const WeatherObservation = z
  .object({
    source: z.string(),
    observedAt: z.date(),
    airTemperatureC: z.number().nullable(),
    precipitationMm: z.number().nullable(),
    relativeHumidityPct: z.number().nullable(),
    windSpeedKph: z.number().nullable(),
    windDirectionDeg: z.number().int().nullable(),
  })
  .meta({ id: 'WeatherObservation' });
export type WeatherObservation = z.infer<typeof WeatherObservation>;

export const RaceWeather = z
  .object({ ...RaceHeader, observations: z.array(WeatherObservation) })
  .meta({ id: 'RaceWeather' });
