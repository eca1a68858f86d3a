/**
 * The read API's test data: the foundation's hand-made mini season (see @f1/db/test-fixtures) plus what
 * the read procedures need beyond it — sessions, qualifying, weather, a race in the future, and extra
 * drivers for paging. Every figure is chosen by hand so tests can state expected answers directly.
 *
 *   round 1 qualifying: A 1:29.708 (Q3), B 1:29.900 (Q3), C out in Q2 (1:30.500), D out in Q1 (1:31.000)
 *   round 2 (sprint weekend) sessions: fp1, sprint_qualifying, sprint, qualifying (UTC)
 *   round 1 weather: one observation from source "test", 24.5 °C, 0.2 mm
 *   the "future" race: round 1 of next year at the same circuit, no results
 */

import type { DB } from '@f1/db/schema';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '@f1/db/test-fixtures';
import { refreshStandings } from '@f1/domain/standings/refresh';
import type { Kysely } from 'kysely';

export { MINI_SEASON };
export const FUTURE_SEASON = new Date().getUTCFullYear() + 1;
export const FUTURE_START = new Date(Date.UTC(FUTURE_SEASON, 2, 15, 15, 0, 0));

export interface ReadFixtures extends MiniSeason {
  futureRace: number;
}

export async function seedReadFixtures(db: Kysely<DB>): Promise<ReadFixtures> {
  const mini = await seedMiniSeason(db);
  const { races, drivers, teams } = mini;
  await db
    .insertInto('race_sessions')
    .values([
      {
        race_id: races.r2,
        kind: 'fp1',
        date: '2021-04-16',
        starts_at: new Date('2021-04-16T11:30:00Z'),
      },
      {
        race_id: races.r2,
        kind: 'qualifying',
        date: '2021-04-16',
        starts_at: new Date('2021-04-16T15:00:00Z'),
      },
      {
        race_id: races.r2,
        kind: 'sprint_qualifying',
        date: '2021-04-17',
        starts_at: null,
      },
      {
        race_id: races.r2,
        kind: 'sprint',
        date: '2021-04-17',
        starts_at: new Date('2021-04-17T14:30:00Z'),
      },
    ])
    .execute();
  const q = (driver: number, team: number, position: number, times: (number | null)[]) => ({
    race_id: races.r1,
    driver_id: driver,
    team_id: team,
    number: position,
    position,
    q1_millis: times[0] ?? null,
    q2_millis: times[1] ?? null,
    q3_millis: times[2] ?? null,
  });
  await db
    .insertInto('qualifying_results')
    .values([
      q(drivers.a, teams.t1, 1, [90_100, 89_950, 89_708]),
      q(drivers.b, teams.t1, 2, [90_200, 90_000, 89_900]),
      q(drivers.c, teams.t2, 3, [90_900, 90_500, null]),
      q(drivers.d, teams.t2, 4, [91_000, null, null]),
    ])
    .execute();
  await db
    .insertInto('weather_data')
    .values({
      race_id: races.r1,
      source: 'test',
      observed_at: new Date('2021-04-04T13:00:00Z'),
      air_temperature_c: 24.5,
      precipitation_mm: 0.2,
      relative_humidity_pct: 55,
      wind_speed_kph: 12.5,
      wind_direction_deg: 270,
    })
    .execute();
  const future = await db
    .insertInto('races')
    .values({
      season: FUTURE_SEASON,
      round: 1,
      circuit_id: mini.circuitId,
      name: 'Future GP',
      date: FUTURE_START.toISOString().slice(0, 10),
      starts_at: FUTURE_START,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await refreshStandings(db);
  return { ...mini, futureRace: future.id };
}

/** `count` more drivers with clashing names (same family names, same given names) for paging tests. */
export async function seedManyDrivers(
  db: Kysely<DB>,
  count: number,
  prefix = 'paging',
): Promise<void> {
  const families = ['Alpha', 'Beta', 'Gamma'];
  const givens = ['Ann', 'Bob'];
  await db
    .insertInto('drivers')
    .values(
      Array.from({ length: count }, (_, i) => ({
        driver_ref: `${prefix}_${String(i).padStart(3, '0')}`,
        given_name: givens[i % givens.length] ?? 'Ann',
        family_name: families[i % families.length] ?? 'Alpha',
      })),
    )
    .execute();
}
