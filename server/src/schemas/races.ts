import { z } from 'zod';
import { CircuitRef } from './circuits.ts';
import {
  Cursor,
  IsoDate,
  LapTime,
  PublicId,
  pageLimit,
  RaceHeader,
  Round,
  Season,
} from './common.ts';
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

/** A race has ~1,000–1,400 timings: the default page is a third of one, the largest a whole race. */
export const LAPS_PAGE = { fallback: 500, max: 2000 } as const;

export const RaceLapsInput = z.strictObject({
  season: Season,
  round: Round,
  driverId: PublicId.optional().describe("only this driver's timings"),
  lap: z.number().int().min(1).max(999).optional().describe('only this lap'),
  limit: pageLimit(LAPS_PAGE.fallback, LAPS_PAGE.max),
  cursor: Cursor.optional(),
});

export const LapTiming = z
  .object({
    lap: z.number().int(),
    position: z.number().int().nullable().describe('position at the end of the lap'),
    driverId: PublicId,
    time: LapTime.nullable(),
  })
  .meta({ id: 'LapTiming' });
export type LapTiming = z.infer<typeof LapTiming>;

export const RaceLaps = z
  .object({
    ...RaceHeader,
    total: z.number().int().describe('timings matching the filters, over all pages'),
    items: z.array(LapTiming).describe('by lap, then position'),
    nextCursor: z.string().nullable().describe('null on the last page'),
  })
  .meta({ id: 'RaceLaps' });

export const PitDuration = z
  .object({
    millis: z.number().int().positive(),
    text: z.string().describe('as timed, e.g. 25.636 (1:02.892 from a minute)'),
  })
  .meta({ id: 'PitDuration' });

export const PitStop = z
  .object({
    driver: DriverRef,
    stop: z.number().int().describe("the driver's 1st, 2nd, … stop"),
    lap: z.number().int(),
    timeOfDay: z.string().describe('local time at the circuit, H:MM:SS (e.g. 14:19:22)'),
    duration: PitDuration.nullable().describe('time in the pit lane, as the source gives it'),
  })
  .meta({ id: 'PitStop' });
export type PitStop = z.infer<typeof PitStop>;

export const RacePitStops = z
  .object({ ...RaceHeader, rows: z.array(PitStop).describe('in the order they happened') })
  .meta({ id: 'RacePitStops' });
