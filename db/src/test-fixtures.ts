/**
 * A hand-made two-round season for tests, small enough to check by hand:
 *
 *   round 1 (full points):  A 1st 25, B 2nd 18, C 3rd 15, D 4th 12
 *   round 2 sprint:         C 1st 8,  D 2nd 7,  B 7th 2,  A 9th 0
 *   round 2 (half points):  B 1st 12.5, C 2nd 9, A 3rd 7.5, D retired (0)
 *
 * After round 2: A 32.5, B 32.5, C 32, D 19. A and B tie on points and on wins (one each); B ranks ahead
 * on countback (B has a second place, A has none; sprint positions do not count). Teams: T1 = A + B,
 * T2 = C + D.
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export const MINI_SEASON = 2021;

export interface MiniSeason {
  circuitId: number;
  teams: { t1: number; t2: number };
  drivers: { a: number; b: number; c: number; d: number };
  races: { r1: number; r2: number };
}

export async function seedMiniSeason(db: Kysely<DB>): Promise<MiniSeason> {
  const circuit = await db
    .insertInto('circuits')
    .values({
      circuit_ref: 'test_ring',
      name: 'Test Ring',
      country: 'Nowhere',
      latitude: 50,
      longitude: 6,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [t1, t2] = await db
    .insertInto('teams')
    .values([
      { team_ref: 'team_one', name: 'Team One' },
      { team_ref: 'team_two', name: 'Team Two' },
    ])
    .returning('id')
    .execute();
  const drivers = await db
    .insertInto('drivers')
    .values(
      (['a', 'b', 'c', 'd'] as const).map((x, i) => ({
        driver_ref: `driver_${x}`,
        code: `DR${x.toUpperCase()}`,
        permanent_number: i + 1,
        given_name: 'Driver',
        family_name: x.toUpperCase(),
      })),
    )
    .returning('id')
    .execute();
  const [r1, r2] = await db
    .insertInto('races')
    .values([
      {
        season: MINI_SEASON,
        round: 1,
        circuit_id: circuit.id,
        name: 'First GP',
        date: '2021-04-04',
        starts_at: new Date('2021-04-04T13:00:00Z'),
      },
      {
        season: MINI_SEASON,
        round: 2,
        circuit_id: circuit.id,
        name: 'Second GP',
        date: '2021-04-18',
        starts_at: new Date('2021-04-18T13:00:00Z'),
      },
    ])
    .returning('id')
    .execute();
  const [a, b, c, d] = drivers.map((x) => x.id);
  if (!t1 || !t2 || !r1 || !r2 || !a || !b || !c || !d) throw new Error('mini season seed failed');

  const result = (
    race: number,
    driver: number,
    team: number,
    order: number,
    points: number,
    position: number | null = order,
  ) => ({
    race_id: race,
    driver_id: driver,
    team_id: team,
    grid: order,
    position,
    position_order: order,
    position_text: position ? String(position) : 'R',
    points,
    laps: position ? 50 : 10,
    status: position ? 'Finished' : 'Retired',
  });
  await db
    .insertInto('race_results')
    .values([
      result(r1.id, a, t1.id, 1, 25),
      result(r1.id, b, t1.id, 2, 18),
      result(r1.id, c, t2.id, 3, 15),
      result(r1.id, d, t2.id, 4, 12),
      result(r2.id, b, t1.id, 1, 12.5),
      result(r2.id, c, t2.id, 2, 9),
      result(r2.id, a, t1.id, 3, 7.5),
      result(r2.id, d, t2.id, 4, 0, null),
    ])
    .execute();
  await db
    .insertInto('sprint_results')
    .values([
      { ...result(r2.id, c, t2.id, 1, 8) },
      { ...result(r2.id, d, t2.id, 2, 7) },
      { ...result(r2.id, b, t1.id, 3, 2), position: 7, position_text: '7' },
      { ...result(r2.id, a, t1.id, 4, 0), position: 9, position_text: '9' },
    ])
    .execute();
  return {
    circuitId: circuit.id,
    teams: { t1: t1.id, t2: t2.id },
    drivers: { a, b, c, d },
    races: { r1: r1.id, r2: r2.id },
  };
}
