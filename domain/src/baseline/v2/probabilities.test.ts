import { describe, expect, test } from 'bun:test';
import { plackettLuce } from '../model.ts';
import type { EntryFeatures } from './features.ts';
import {
  finishedPairProbability,
  pairProbability,
  podiumProbabilities,
  stageStrengths,
  winProbabilities,
} from './probabilities.ts';
import { DEFAULT_V2_PARAMS } from './types.ts';

const s = [1.2, 0.4, 0, -0.3, -1];

describe('v2 probabilities', () => {
  test('with certain finishes they are exactly Plackett–Luce', () => {
    const pl = plackettLuce(s);
    const ones = s.map(() => 1);
    winProbabilities(s, ones).forEach((p, i) => {
      expect(p).toBeCloseTo(pl.win[i] ?? 0, 12);
    });
    podiumProbabilities(s, ones).forEach((p, i) => {
      expect(p).toBeCloseTo(pl.podium[i] ?? 0, 12);
    });
  });

  test('an unreliable favourite loses win and podium chances to the rest; totals hold', () => {
    const reliable = s.map(() => 0.9);
    const fragile = [0.5, 0.9, 0.9, 0.9, 0.9];
    const a = winProbabilities(s, reliable);
    const b = winProbabilities(s, fragile);
    expect(b[0] ?? 1).toBeLessThan(a[0] ?? 0);
    expect(b[1] ?? 0).toBeGreaterThan(a[1] ?? 1);
    expect(b.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    const podium = podiumProbabilities(s, fragile);
    expect(podium.reduce((x, y) => x + y, 0)).toBeCloseTo(3, 12);
    expect(podium.every((p) => p <= 1)).toBe(true);
    expect(podium[0] ?? 1).toBeLessThan(podiumProbabilities(s, reliable)[0] ?? 0);
  });

  test('post-qualifying strength rewards a small gap and a front slot', () => {
    const entry = (gap: number, slot: number): EntryFeatures => ({
      driverId: slot,
      teamId: 1,
      rating: 0,
      team: 0,
      finish: 1,
      fault: 0,
      gap,
      slot,
    });
    const [front, back] = stageStrengths(
      [entry(0, 1), entry(1.5, 8)],
      'post_qualifying',
      DEFAULT_V2_PARAMS.stage,
    );
    expect(front ?? 0).toBeGreaterThan(back ?? 0);
    expect(
      stageStrengths([entry(0, 1), entry(1.5, 8)], 'pre_qualifying', DEFAULT_V2_PARAMS.stage),
    ).toEqual([0, 0]);
  });

  test('pair probabilities: logistic on ratings, driver faults mixed in on the project basis', () => {
    const a: EntryFeatures = {
      driverId: 1,
      teamId: 1,
      rating: 1,
      team: 0,
      finish: 1,
      fault: 0,
      gap: null,
      slot: 1,
    };
    const b: EntryFeatures = { ...a, driverId: 2, rating: 0 };
    expect(finishedPairProbability(a, b)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(pairProbability(a, b)).toBeCloseTo(finishedPairProbability(a, b), 12);
    expect(pairProbability({ ...a, fault: 0.3 }, b)).toBeLessThan(pairProbability(a, b));
    expect(pairProbability(a, { ...b, fault: 0.3 })).toBeGreaterThan(pairProbability(a, b));
  });
});
