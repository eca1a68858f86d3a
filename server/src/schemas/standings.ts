import { z } from 'zod';
import { Round, Season } from './common.ts';
import { DriverRef } from './drivers.ts';
import { TeamRef } from './teams.ts';

export const StandingsInput = z.strictObject({
  season: Season,
  round: Round.optional().describe('standings after this round (default: the last with results)'),
});

const StandingNumbers = {
  position: z.number().int().min(1),
  points: z.number(),
  wins: z.number().int().min(0),
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
