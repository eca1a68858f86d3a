import { describe, expect, test } from 'bun:test';
import {
  addToPriors,
  type GridSlotCounts,
  gridBaseline,
  normaliseCapped,
  startingOrder,
} from './grid-baseline.ts';

describe('normaliseCapped', () => {
  test('scales to the target, capping at 1 and refilling the rest', () => {
    expect(normaliseCapped([2, 1, 1], 2)).toEqual([1, 0.5, 0.5]);
    expect(normaliseCapped([0.2, 0.2], 1)).toEqual([0.5, 0.5]);
    expect(normaliseCapped([0, 0], 1)).toEqual([0, 0]);
  });

  test('caps cascade: a value pushed over 1 by the rescale is capped in turn', () => {
    // 4 / 6.5 · 3 ≥ 1 → capped; the rest (2, 0.5) rescaled to 2 → 1.6, 0.4 → 1.6 capped → 1, 1.
    const out = normaliseCapped([4, 2, 0.5], 3);
    expect(out).toEqual([1, 1, 1]);
    const wide = normaliseCapped([10, 5, 1, 1, 1], 3);
    expect(wide.slice(0, 2)).toEqual([1, 1]);
    wide.slice(2).forEach((p) => {
      expect(p).toBeCloseTo(1 / 3, 12);
    });
  });

  test('lower bounds: every value in [lower, 1], the others scaled down to keep the sum', () => {
    // Without the bound the first is 0.8 · 3 / 4.2 ≈ 0.571 < 0.9; raising it afterwards would sum to 3.33.
    const out = normaliseCapped([0.8, 1.2, 1.2, 1], 3, [0.9, 0.05, 0.03, 0.02]);
    expect(out[0]).toBe(0.9);
    expect(out.reduce((s, p) => s + p, 0)).toBeCloseTo(3, 12);
    [1.2, 1.2, 1].forEach((v, i) => {
      expect(out[i + 1] ?? 0).toBeCloseTo((v * 2.1) / 3.4, 12);
    });
    // Bounds that already reach the target are the answer; a field of two is certain of the podium.
    expect(normaliseCapped([1, 1], 1, [0.6, 0.6])).toEqual([0.6, 0.6]);
    expect(normaliseCapped([0.3, 0.1], 2, [0.7, 0.3])).toEqual([1, 1]);
    // Non-positive or non-finite values count as 0 (and stay at their bound).
    const odd = normaliseCapped([Number.NaN, -1, 2, 2], 1, [0.1, 0, 0, 0]);
    expect(odd[0]).toBe(0.1);
    expect(odd[1]).toBe(0);
    expect(odd[2]).toBeCloseTo(0.45, 12);
    expect(odd.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });
});

describe('gridBaseline', () => {
  /**
   * Priors: slot 1 won 5 of 10 starts, slot 2 3 of 10, slot 3 1 of 10. With one pseudo-start of
   * 0.5^slot: (5 + 0.5)/11, (3 + 0.25)/11, (1 + 0.125)/11 → normalised 5.5/9.875 = 0.556962,
   * 3.25/9.875 = 0.329114, 1.125/9.875 = 0.113924. Three cars: each is on the podium (1).
   */
  const priors = new Map<number, GridSlotCounts>([
    [1, { starts: 10, wins: 5, podiums: 8 }],
    [2, { starts: 10, wins: 3, podiums: 7 }],
    [3, { starts: 10, wins: 1, podiums: 6 }],
  ]);

  test('predicts the starting order with prior-season slot frequencies', () => {
    const out = gridBaseline(
      [
        { driverId: 7, grid: 2 },
        { driverId: 8, grid: 0 },
        { driverId: 9, grid: 1 },
      ],
      priors,
    );
    expect(out.map((e) => [e.driverId, e.predictedPosition, e.podiumProbability])).toEqual([
      [9, 1, 1],
      [7, 2, 1],
      [8, 3, 1],
    ]);
    expect(out.map((e) => e.winProbability)).toEqual([
      expect.closeTo(0.556962, 6),
      expect.closeTo(0.329114, 6),
      expect.closeTo(0.113924, 6),
    ]);
  });

  test('without priors the pseudo-counts still rank pole first and sum correctly', () => {
    const field = Array.from({ length: 10 }, (_, i) => ({ driverId: i + 1, grid: i + 1 }));
    const out = gridBaseline(field, new Map());
    expect(out.reduce((s, e) => s + e.winProbability, 0)).toBeCloseTo(1, 12);
    expect(out.reduce((s, e) => s + e.podiumProbability, 0)).toBeCloseTo(3, 9);
    expect(out[0]?.winProbability).toBeGreaterThan(out[1]?.winProbability ?? 1);
  });
});

describe('startingOrder and addToPriors', () => {
  test('pit-lane starters go to the back by driver id; priors count starts, wins and podiums', () => {
    expect(
      startingOrder([
        { driverId: 5, grid: null },
        { driverId: 3, grid: 0 },
        { driverId: 9, grid: 4 },
      ]).map((e) => e.driverId),
    ).toEqual([9, 3, 5]);
    const counts = new Map<number, GridSlotCounts>();
    addToPriors(counts, [
      { grid: 1, positionOrder: 2 },
      { grid: 2, positionOrder: 1 },
      { grid: 0, positionOrder: 3 },
      { grid: 1, positionOrder: 1 },
    ]);
    expect([...counts]).toEqual([
      [1, { starts: 2, wins: 1, podiums: 2 }],
      [2, { starts: 1, wins: 1, podiums: 1 }],
    ]);
  });
});
