/**
 * Championship standings from the `driver_standings` / `constructor_standings` materialized views.
 * Without a round, the standings after the last round that has results. One statement each.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface StandingsParams {
  season: number;
  round?: number;
}

export interface DriverStandingRow {
  round: number;
  position: number;
  points: number;
  wins: number;
  driver_ref: string;
  code: string | null;
  given_name: string;
  family_name: string;
}

export interface ConstructorStandingRow {
  round: number;
  position: number;
  points: number;
  wins: number;
  team_ref: string;
  name: string;
}

export function driverStandings(
  db: Kysely<DB>,
  params: StandingsParams,
): Promise<DriverStandingRow[]> {
  return db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select([
      's.round',
      's.position',
      's.points',
      's.wins',
      'd.driver_ref',
      'd.code',
      'd.given_name',
      'd.family_name',
    ])
    .where('s.season', '=', params.season)
    .where(
      's.round',
      '=',
      params.round ??
        sql<number>`(SELECT max(m.round) FROM driver_standings m WHERE m.season = ${params.season})`,
    )
    .orderBy('s.position')
    .execute();
}

export function constructorStandings(
  db: Kysely<DB>,
  params: StandingsParams,
): Promise<ConstructorStandingRow[]> {
  return db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select(['s.round', 's.position', 's.points', 's.wins', 't.team_ref', 't.name'])
    .where('s.season', '=', params.season)
    .where(
      's.round',
      '=',
      params.round ??
        sql<number>`(SELECT max(m.round) FROM constructor_standings m WHERE m.season = ${params.season})`,
    )
    .orderBy('s.position')
    .execute();
}
