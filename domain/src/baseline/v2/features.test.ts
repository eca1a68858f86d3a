import { describe, expect, test } from 'bun:test';
import { FeatureBuilder, GAP_CAP, qualifyingGaps, ratedEntries, viewOf } from './features.ts';
import { syntheticSeasons } from './testing.ts';
import { DEFAULT_V2_PARAMS, type V2Race } from './types.ts';

/** Features of every race, each taken before the race is observed. */
function featureLog(races: readonly V2Race[]): string[] {
  const builder = new FeatureBuilder(DEFAULT_V2_PARAMS);
  return races.map((race) => {
    const features = JSON.stringify(builder.features(viewOf(race)));
    builder.observe(race);
    return features;
  });
}

/** Every result after index `r` rewritten: order reversed, every car retired with an engine. */
function rewriteAfter(races: readonly V2Race[], r: number): V2Race[] {
  return races.map((race, i) =>
    i <= r
      ? race
      : {
          ...race,
          results: race.results.map((x, k, all) => ({
            ...x,
            positionOrder: all.length - k,
            position: null,
            status: 'Engine',
          })),
        },
  );
}

describe('v2 feature builder', () => {
  const races = syntheticSeasons([2001, 2002, 2003], { rounds: 5 });

  test('features of races ≤ r do not change when every result after r changes', () => {
    const r = 7;
    const before = featureLog(races);
    const after = featureLog(rewriteAfter(races, r));
    expect(after.slice(0, r + 2)).toEqual(before.slice(0, r + 2));
    // …and the builder does learn from results: the race after the change does move.
    expect(after[r + 2]).not.toEqual(before[r + 2]);
  });

  test('features carry the view only: grid slots, Q gaps, no finishing positions', () => {
    const race = races[0] as V2Race;
    const features = new FeatureBuilder(DEFAULT_V2_PARAMS).features(viewOf(race));
    expect(Object.keys(features.entries[0] ?? {}).sort()).toEqual([
      'driverId',
      'fault',
      'finish',
      'gap',
      'rating',
      'slot',
      'team',
      'teamId',
    ]);
    const slots = features.entries.map((e) => e.slot).sort((a, b) => a - b);
    expect(slots).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(features.entries.every((e) => e.finish > 0 && e.finish < 1)).toBe(true);
  });

  test('qualifying gaps: best of Q1–Q3 against the fastest, %, capped', () => {
    const gaps = qualifyingGaps([
      { driverId: 1, q1: 80_000, q2: 79_000, q3: null },
      { driverId: 2, q1: 79_790, q2: null, q3: null },
      { driverId: 3, q1: 99_000, q2: null, q3: null },
      { driverId: 4, q1: null, q2: null, q3: null },
    ]);
    expect(gaps.get(1)).toBe(0);
    expect(gaps.get(2)).toBeCloseTo(1, 10);
    expect(gaps.get(3)).toBe(GAP_CAP);
    expect(gaps.has(4)).toBe(false);
    expect(qualifyingGaps(undefined).size).toBe(0);
  });

  test('pace competitors: classified by order, faults behind, mechanical out; shared drives once', () => {
    const base = { teamId: 1, grid: 1 };
    const entries = ratedEntries([
      { ...base, driverId: 1, position: 1, positionOrder: 1, status: 'Finished' },
      { ...base, driverId: 2, position: null, positionOrder: 3, status: 'Collision' },
      { ...base, driverId: 3, position: null, positionOrder: 4, status: 'Gearbox' },
      { ...base, driverId: 1, position: 2, positionOrder: 2, status: 'Finished' },
    ]);
    expect(entries).toEqual([
      { driverId: 1, teamId: 1, rank: 1 },
      { driverId: 2, teamId: 1, rank: 1_000 },
    ]);
    expect(
      ratedEntries(
        [{ ...base, driverId: 2, position: null, positionOrder: 3, status: 'Collision' }],
        { faults: false },
      ),
    ).toEqual([]);
  });
});
