/**
 * Synthetic seasons drawn from a known model, for v2's tests: fixed driver and team strengths, Plackett–
 * Luce finishing orders (Gumbel trick), team mechanical failures and driver faults at known rates.
 */
import type { V2Race } from './types.ts';

export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

export interface SyntheticWorld {
  /** Strength of driver id i + 1 (driver i + 1 drives for team ⌊i / 2⌋ + 1). */
  driver: number[];
  team: number[];
  /** Mechanical failure rate per team. */
  mechanical: number[];
  /** Driver fault rate per driver. */
  fault: number[];
}

export const WORLD: SyntheticWorld = {
  driver: [0.6, 0.2, 0.3, -0.1, 0, -0.2, 0.1, -0.4, -0.3, 0.2],
  team: [1.2, 0.8, 0.2, -0.4, -0.9],
  mechanical: [0.05, 0.2, 0.1, 0.3, 0.15],
  fault: [0.02, 0.05, 0.1, 0.03, 0.05, 0.08, 0.04, 0.06, 0.12, 0.05],
};

/** `rounds` races per season for `seasons`, drawn from `world` with seed `seed`. */
export function syntheticSeasons(
  seasons: readonly number[],
  options: { rounds?: number; seed?: number; world?: SyntheticWorld } = {},
): V2Race[] {
  const world = options.world ?? WORLD;
  const next = rng(options.seed ?? 7);
  const rounds = options.rounds ?? 10;
  const races: V2Race[] = [];
  for (const season of seasons) {
    for (let round = 1; round <= rounds; round++) {
      const cars = world.driver.map((d, i) => {
        const team = Math.floor(i / 2);
        const strength = d + (world.team[team] ?? 0);
        const mechanical = next() < (world.mechanical[team] ?? 0);
        const fault = !mechanical && next() < (world.fault[i] ?? 0);
        const gumbel = -Math.log(-Math.log(next()));
        return {
          driverId: i + 1,
          teamId: team + 1,
          strength,
          key: strength + gumbel,
          mechanical,
          fault,
        };
      });
      const grid = [...cars].sort((a, b) => b.strength + next() - (a.strength + next()));
      const finishers = cars.filter((c) => !c.mechanical && !c.fault).sort((a, b) => b.key - a.key);
      const out = cars.filter((c) => c.mechanical || c.fault);
      const order = [...finishers, ...out];
      races.push({
        raceId: season * 100 + round,
        season,
        round,
        results: order.map((c, i) => ({
          driverId: c.driverId,
          teamId: c.teamId,
          grid: grid.indexOf(c) + 1,
          position: i < finishers.length ? i + 1 : null,
          positionOrder: i + 1,
          status: c.mechanical ? 'Engine' : c.fault ? 'Accident' : 'Finished',
        })),
        qualifying: grid.map((c, i) => ({
          driverId: c.driverId,
          q1: 80_000 + i * 150,
          q2: null,
          q3: null,
        })),
      });
    }
  }
  return races;
}
