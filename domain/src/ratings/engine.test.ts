import { describe, expect, test } from 'bun:test';
import { computeEloHistory, EloState, type RaceForRating } from './engine.ts';

const res = (driverId: number, position: number | null, order: number, status: string) => ({
  driverId,
  teamId: driverId * 10,
  position,
  positionOrder: order,
  status,
});

/**
 * Three drivers A=1, B=2, C=3 (each alone in a team), K = 32, start 1500. Hand computation:
 * race 1  A, B, C finish in that order: K/(n−1) = 16; A +16, B ±0, C −16 → 1516, 1500, 1484.
 * race 2  C wins, A second, B engine failure (not counted: B stays 1500). Two competitors, K/1 = 32;
 *         E(C beats A) = 1/(1+10^(32/400)) = 0.454078; C +32·0.545922 = +17.4695 → 1501.4695,
 *         A −17.4695 → 1498.5305.
 * race 3  B wins; A (collision) and C (accident) both retire by their own doing: behind B, level
 *         with each other (a draw). K/2 = 16.
 *         B: (1 − E(B,A)) + (1 − E(B,C)) = 1.000 (A and C sit symmetrically around B) → 1516.
 *         A: (0 − 0.497885) + (0.5 − 0.495771) = −0.493656 → −7.8985 → 1490.632.
 *         C: (0 − 0.502115) + (0.5 − 0.504229) = −0.506344 → −8.1015 → 1493.368.
 */
const toy: RaceForRating[] = [
  {
    raceId: 103,
    season: 2000,
    round: 3,
    results: [res(2, 1, 1, 'Finished'), res(1, null, 2, 'Collision'), res(3, null, 3, 'Accident')],
  },
  {
    raceId: 101,
    season: 2000,
    round: 1,
    results: [res(1, 1, 1, 'Finished'), res(2, 2, 2, 'Finished'), res(3, 3, 3, 'Finished')],
  },
  {
    raceId: 102,
    season: 2000,
    round: 2,
    results: [res(3, 1, 1, 'Finished'), res(1, 2, 2, 'Finished'), res(2, null, 3, 'Engine')],
  },
];

describe('computeEloHistory on a 3-driver toy history', () => {
  const k32 = () => new EloState({ k: 32, initial: 1500 }, { k: 32, initial: 1500 });
  const { drivers, teams, state } = computeEloHistory(toy, k32());
  const at = (raceId: number, id: number) =>
    drivers.find((d) => d.raceId === raceId && d.id === id);

  test('replays in chronological order and matches the hand computation', () => {
    expect(at(101, 1)).toEqual({ id: 1, raceId: 101, before: 1500, after: 1516 });
    expect(at(101, 3)?.after).toBe(1484);
    expect(at(102, 3)?.after).toBeCloseTo(1501.4695, 3);
    expect(at(102, 1)?.after).toBeCloseTo(1498.5305, 3);
    expect(at(103, 2)?.after).toBeCloseTo(1516, 3);
    expect(at(103, 1)?.after).toBeCloseTo(1490.632, 3);
    expect(at(103, 3)?.after).toBeCloseTo(1493.368, 3);
    expect(state.driver(1)).toBeCloseTo(1490.632, 3);
  });

  test('a mechanical retirement leaves the driver unchanged but still in the history', () => {
    expect(at(102, 2)).toEqual({ id: 2, raceId: 102, before: 1500, after: 1500 });
  });

  test('teams: the engine failure costs team 20 in race 2', () => {
    const team20 = teams.find((t) => t.raceId === 102 && t.id === 20);
    expect(team20?.after).toBeLessThan(team20?.before ?? 0);
  });

  test('is deterministic: the same input gives identical histories', () => {
    const again = computeEloHistory([...toy].reverse(), k32());
    expect(again.drivers).toEqual(drivers);
    expect(again.teams).toEqual(teams);
    expect([...again.state.drivers]).toEqual([...state.drivers]);
  });
});
