import { z } from 'zod';
import { Round, Season } from './common.ts';
import { DriverRef } from './drivers.ts';
import { TeamRef } from './teams.ts';

export const StandingsInput = z.strictObject({
  season: Season,
  round: Round.optional().describe('standings after this round (default: the last with results)'),
});

const StandingNumbers = {
  position: z
    .number()
    .int()
    .min(1)
    .describe(
      '1-based; shared by competitors level on everything (`tied`); excluded ones come last',
    ),
  positionText: z
    .string()
    .regex(/^([1-9][0-9]*|D|E)$/)
    .describe(
      "the position as text, or `D` (excluded from the drivers' championship) / `E` (from the constructors')",
    ),
  points: z
    .number()
    .describe(
      'championship points: the counted results plus adjustments (0 when the points were forfeited)',
    ),
  pointsScored: z
    .number()
    .describe('every point scored in the season so far, results the best-N rule dropped included'),
  droppedPoints: z.number().describe('points of the results that did not count (best-N rules)'),
  droppedRounds: z
    .array(z.number().int().min(1))
    .describe('rounds whose result did not count, ascending'),
  adjustmentPoints: z.number().describe('points added or deducted by penalties (e.g. −15)'),
  wins: z.number().int().min(0),
  tied: z
    .boolean()
    .describe('level with another competitor on points and on every counted finishing position'),
};

export const DriverStandingRow = z
  .object({ ...StandingNumbers, driver: DriverRef })
  .meta({ id: 'DriverStandingRow' });
export type DriverStandingRow = z.infer<typeof DriverStandingRow>;

export const ConstructorStandingRow = z
  .object({ ...StandingNumbers, team: TeamRef })
  .meta({ id: 'ConstructorStandingRow' });
export type ConstructorStandingRow = z.infer<typeof ConstructorStandingRow>;

export const DriverStandings = z
  .object({ season: Season, round: Round, rows: z.array(DriverStandingRow) })
  .meta({ id: 'DriverStandings' });
export type DriverStandings = z.infer<typeof DriverStandings>;

export const ConstructorStandings = z
  .object({ season: Season, round: Round, rows: z.array(ConstructorStandingRow) })
  .meta({ id: 'ConstructorStandings' });
export type ConstructorStandings = z.infer<typeof ConstructorStandings>;

/** Either kind of standings row. */
export type StandingRow = DriverStandingRow | ConstructorStandingRow;

const ProgressionCompetitor = z
  .object({
    id: z.string().describe('public id (max_verstappen, red_bull)'),
    name: z.string(),
    code: z.string().nullable().describe("the driver's three-letter code; null for constructors"),
    points: z
      .array(z.number().nullable())
      .describe('championship points after each of `rounds` (null before the first entry)'),
    positions: z.array(z.number().int().nullable()).describe('position after each of `rounds`'),
    wins: z.array(z.number().int().nullable()),
    droppedPoints: z.array(z.number().nullable()).describe('points not counted (best-N rules)'),
    droppedRounds: z
      .array(z.array(z.number().int()))
      .describe('after each of `rounds`, the rounds whose result did not count'),
  })
  .meta({ id: 'ProgressionCompetitor' });

export const StandingsProgression = z
  .object({
    season: Season,
    rounds: z
      .array(z.object({ round: Round, name: z.string() }))
      .describe('rounds with standings, in order; every competitor array is aligned with it'),
    drivers: z.array(ProgressionCompetitor).describe('ordered by the last round, leader first'),
    constructors: z
      .array(ProgressionCompetitor)
      .describe('empty before 1958 (no constructors championship)'),
  })
  .meta({ id: 'StandingsProgression' });
export type StandingsProgression = z.infer<typeof StandingsProgression>;
