import { describe, expect, test } from 'bun:test';
import { BEHIND_CLASSIFIED, driverCompetitors, outcomeOf, teamCompetitors } from './outcomes.ts';

describe('outcomeOf', () => {
  test.each([
    [1, 'Finished', 'classified'],
    [12, '+1 Lap', 'classified'],
    [15, 'Engine', 'classified'],
    [null, 'Collision', 'driver_fault'],
    [null, 'Accident', 'driver_fault'],
    [null, 'Spun off', 'driver_fault'],
    [null, 'Disqualified', 'driver_fault'],
    [null, 'Engine', 'retired_other'],
    [null, 'Gearbox', 'retired_other'],
    [null, 'Retired', 'retired_other'],
    [null, null, 'retired_other'],
    [null, 'Did not qualify', 'did_not_start'],
    [null, 'Withdrew', 'did_not_start'],
  ] as const)('position %p, status %p → %s', (position, status, outcome) => {
    expect(outcomeOf({ position, status })).toBe(outcome);
  });
});

const r = (
  driverId: number,
  teamId: number,
  position: number | null,
  order: number,
  status: string,
) => ({
  driverId,
  teamId,
  position,
  positionOrder: order,
  status,
});

describe('competitors', () => {
  const race = [
    r(1, 10, 1, 1, 'Finished'),
    r(2, 20, 2, 2, 'Finished'),
    r(3, 10, null, 3, 'Collision'),
    r(4, 30, null, 4, 'Engine'),
    r(5, 40, null, 5, 'Did not qualify'),
    // A 1950s shared drive: driver 2 also listed in a second car.
    r(2, 20, null, 6, 'Accident'),
  ];

  test('drivers: classified by order, own faults behind, mechanical DNFs and non-starters out', () => {
    expect(driverCompetitors(race)).toEqual([
      { id: 1, rank: 1 },
      { id: 2, rank: 2 },
      { id: 3, rank: BEHIND_CLASSIFIED },
    ]);
  });

  test('teams: best car; a mechanical DNF counts against the team', () => {
    expect(teamCompetitors(race)).toEqual([
      { id: 10, rank: 1 },
      { id: 20, rank: 2 },
      { id: 30, rank: BEHIND_CLASSIFIED },
    ]);
  });
});
