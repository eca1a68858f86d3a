import { describe, expect, test } from 'bun:test';
import type { HistoryResult } from '../../ratings/replay.ts';
import { Reliability, shrunkRate } from './reliability.ts';

const start = (
  driverId: number,
  teamId: number,
  status: string,
  classified: boolean,
): HistoryResult => ({
  driverId,
  teamId,
  grid: driverId,
  position: classified ? driverId : null,
  positionOrder: driverId,
  status,
});

/** A race of 10 cars (5 teams × 2) where team 1's car of driver 1 breaks when `breaks`. */
function race(breaks: boolean, crash = false): HistoryResult[] {
  return Array.from({ length: 10 }, (_, i) => {
    const id = i + 1;
    if (id === 1 && breaks) return start(id, 1, 'Engine', false);
    if (id === 3 && crash) return start(id, 2, 'Accident', false);
    return start(id, Math.floor(i / 2) + 1, id === 10 ? '+1 Lap' : 'Finished', true);
  });
}

describe('reliability', () => {
  test('shrunkRate is the Beta posterior mean', () => {
    expect(shrunkRate({ events: 0, starts: 0 }, 0.2, 10)).toBeCloseTo(0.2, 12);
    expect(shrunkRate({ events: 3, starts: 10 }, 0.2, 10)).toBeCloseTo(5 / 20, 12);
  });

  test('one failure moves a team a little toward it; many move it most of the way', () => {
    const model = new Reliability({ decay: 1, teamPrior: 20, driverPrior: 20 });
    model.apply(race(true));
    const once = model.rates(1, 1).mechanical;
    const field = model.rates(99, 99).mechanical;
    expect(once).toBeGreaterThan(field);
    expect(once).toBeLessThan(0.2);
    for (let i = 0; i < 200; i++) model.apply(race(true));
    // Team 1 fails on one car of two every race: its rate tends to 1/2.
    expect(model.rates(1, 1).mechanical).toBeGreaterThan(0.45);
    expect(model.rates(1, 1).mechanical).toBeLessThan(0.5);
    expect(model.rates(5, 3).mechanical).toBeLessThan(0.06);
    // A mechanical failure is not the driver's fault, and the team's rate is shared by its drivers.
    expect(model.rates(1, 1).fault).toBeCloseTo(model.rates(2, 1).fault, 2);
    expect(model.finishes(1, 1)).toBeLessThan(model.finishes(5, 3));
  });

  test("driver faults are the driver's, not the team's", () => {
    const model = new Reliability({ decay: 1, teamPrior: 10, driverPrior: 10 });
    for (let i = 0; i < 50; i++) model.apply(race(false, true));
    expect(model.rates(3, 2).fault).toBeGreaterThan(0.7);
    expect(model.rates(4, 2).fault).toBeLessThan(0.1);
    expect(model.rates(3, 2).mechanical).toBeCloseTo(model.rates(5, 3).mechanical, 6);
  });

  test('decay forgets old failures; non-starters count for nothing', () => {
    const slow = new Reliability({ decay: 1, teamPrior: 5, driverPrior: 5 });
    const fast = new Reliability({ decay: 0.8, teamPrior: 5, driverPrior: 5 });
    for (const m of [slow, fast]) {
      for (let i = 0; i < 20; i++) m.apply(race(true));
      for (let i = 0; i < 20; i++) m.apply(race(false));
    }
    expect(fast.rates(1, 1).mechanical).toBeLessThan(slow.rates(1, 1).mechanical);
    const dns = new Reliability({ decay: 1, teamPrior: 5, driverPrior: 5 });
    const before = dns.rates(1, 1);
    dns.apply([start(1, 1, 'Did not start', false)]);
    expect(dns.rates(1, 1)).toEqual(before);
  });
});
