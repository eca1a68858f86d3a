/** Our standings vs the source's official standings endpoints (2 requests). */

import type { DB } from '@f1/db/schema';
import { type StandingRow, seasonStandings } from '@f1/db/standings/refresh';
import type { Kysely } from 'kysely';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import { compareStandings, type StandingDifference } from './compare-standings.ts';

export interface OfficialStandings {
  round: number;
  drivers: StandingRow[];
  constructors: StandingRow[];
}

export interface SeasonValidation {
  season: number;
  round: number;
  differences: StandingDifference[];
  /** Official rows compared. */
  checked: number;
}

export async function officialStandings(
  client: JolpicaClient,
  season: number,
): Promise<OfficialStandings | null> {
  const drivers = await client.driverStandings(season);
  if (drivers.round === null) return null;
  const constructors = await client.constructorStandings(season);
  // An excluded competitor has no position (positionText "-"): 0 never equals ours, so it is reported.
  const rows = <T extends { position?: number; points: number; wins: number }>(
    list: T[],
    ref: (row: T) => string,
  ) =>
    list.map((row) => ({
      ref: ref(row),
      position: row.position ?? 0,
      points: row.points,
      wins: row.wins,
    }));
  return {
    round: drivers.round,
    drivers: rows(drivers.rows, (r) => r.Driver.driverId),
    constructors: rows(constructors.rows, (r) => r.Constructor.constructorId),
  };
}

/** Compares our standings after the official table's round with it. */
export async function compareWithOfficial(
  db: Kysely<DB>,
  season: number,
  official: OfficialStandings,
): Promise<SeasonValidation> {
  const ours = await seasonStandings(db, { season, round: official.round });
  const differences = [
    ...compareStandings('drivers', ours.drivers, official.drivers),
    ...(official.constructors.length
      ? compareStandings('constructors', ours.constructors, official.constructors)
      : []),
  ];
  return {
    season,
    round: official.round,
    differences,
    checked: official.drivers.length + official.constructors.length,
  };
}
