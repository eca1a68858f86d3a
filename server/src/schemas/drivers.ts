import { z } from 'zod';
import {
  Cursor,
  IsoDate,
  LapTime,
  PublicId,
  page,
  pageLimit,
  RaceHeader,
  Season,
} from './common.ts';
import { TeamRef } from './teams.ts';
import { text } from './text.ts';

export const DRIVERS_PAGE = { fallback: 50, max: 100 } as const;
export const DRIVER_RESULTS_PAGE = { fallback: 100, max: 100 } as const;

export const Driver = z
  .object({
    driverId: PublicId,
    permanentNumber: z.number().int().nullable(),
    code: z.string().nullable().describe('three-letter code, e.g. VER'),
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: IsoDate.nullable(),
    nationality: z.string().nullable(),
    url: z.string().nullable(),
  })
  .meta({ id: 'Driver' });
export type Driver = z.infer<typeof Driver>;

/** The driver as other answers (results, standings) name them. */
export const DriverRef = z
  .object({
    driverId: PublicId,
    code: z.string().nullable(),
    givenName: z.string(),
    familyName: z.string(),
  })
  .meta({ id: 'DriverRef' });
export type DriverRef = z.infer<typeof DriverRef>;

export const DriversListInput = z
  .strictObject({
    season: Season.optional().describe('only drivers entered in this season'),
    search: text().trim().min(1).max(100).optional().describe('part of the name, or the code'),
    limit: pageLimit(DRIVERS_PAGE.fallback, DRIVERS_PAGE.max),
    cursor: Cursor.optional(),
  })
  .optional();
export const DriverPage = page(Driver, 'DriverPage');

export const DriverIdInput = z.strictObject({ driverId: PublicId });

export const FastestLap = z
  .object({
    lap: z.number().int().nullable(),
    rank: z.number().int().nullable(),
    time: LapTime.nullable(),
    speedKph: z.number().nullable(),
  })
  .meta({ id: 'FastestLap' });

/** What a result row says about the finish, shared by race and sprint results. */
export const Finish = {
  position: z.number().int().nullable().describe('classified position; null when not classified'),
  positionText: z.string().describe('1, 2, … or R (retired), D (disqualified), …'),
  positionOrder: z.number().int().describe('order of the whole field, classified or not'),
  number: z.number().int().nullable(),
  grid: z.number().int().nullable(),
  laps: z.number().int().nullable(),
  status: z.string().nullable(),
  points: z.number(),
  time: z
    .object({ millis: z.number().int().nullable(), text: z.string() })
    .nullable()
    .describe('race time for the winner, gap for the others'),
};

export const DriverResult = z
  .object({
    ...RaceHeader,
    circuitId: PublicId,
    team: TeamRef.nullable(),
    ...Finish,
    fastestLap: FastestLap.nullable(),
  })
  .meta({ id: 'DriverResult' });
export type DriverResult = z.infer<typeof DriverResult>;

export const DriverResultsInput = z.strictObject({
  driverId: PublicId,
  season: Season.optional(),
  limit: pageLimit(DRIVER_RESULTS_PAGE.fallback, DRIVER_RESULTS_PAGE.max),
  cursor: Cursor.optional(),
});
export const DriverResultPage = page(DriverResult, 'DriverResultPage');
