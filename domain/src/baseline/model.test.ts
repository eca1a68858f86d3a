import { describe, expect, test } from 'bun:test';
import { plackettLuce, predictField, strengths } from './model.ts';

describe('plackettLuce', () => {
  test('equal strengths: win 1/n, podium 3/n', () => {
    const { win, podium } = plackettLuce([0, 0, 0, 0]);
    for (const p of win) expect(p).toBeCloseTo(0.25, 12);
    for (const p of podium) expect(p).toBeCloseTo(0.75, 12);
  });

  test('weights 2, 1, 1, 1 match the hand computation (P(last) of a weight-1 car = 0.3)', () => {
    // P(car 4 last) = Σ over orders of cars 1–3 = 2·(1/15) + 2·(1/20) + 2·(1/30) = 0.3 → podium 0.7;
    // the weight-2 car: 3 − 3·0.7 = 0.9.
    const { win, podium } = plackettLuce([Math.log(2), 0, 0, 0]);
    expect(win[0]).toBeCloseTo(0.4, 12);
    expect(podium[0]).toBeCloseTo(0.9, 12);
    expect(podium[3]).toBeCloseTo(0.7, 12);
  });

  test('a field of three is all on the podium; sums hold for uneven fields', () => {
    for (const p of plackettLuce([3, 1, -2]).podium) expect(p).toBeCloseTo(1, 12);
    const { win, podium } = plackettLuce([1.2, -0.3, 0.4, 2.2, -1, 0, 0.9]);
    expect(win.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(podium.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
  });
});

describe('plackettLuce, extreme fields', () => {
  test('a favourite who swallows the field: podium in [win, 1], summing to 3; small fields certain', () => {
    const s = [60, 0, -0.5, -1, -2];
    const { win, podium } = plackettLuce(s);
    expect(win.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(podium.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
    podium.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(win[i] ?? 0);
      expect(p).toBeLessThanOrEqual(1);
    });
    expect(podium[0]).toBe(1);
    expect(plackettLuce([60, 0]).podium).toEqual([1, 1]);
    expect(plackettLuce([60]).podium).toEqual([1]);
  });
});

describe('predictField', () => {
  const field = [
    { driverId: 1, rating: 1600, gridWin: 0.05 },
    { driverId: 2, rating: 1500, gridWin: 0.6 },
    { driverId: 3, rating: 1400, gridWin: 0.35 },
  ];

  test('pre-qualifying ranks by rating alone; post-qualifying lets the grid pull', () => {
    const pre = predictField(field, 'pre_qualifying', { a: 1, b: 1, c: 1 });
    expect(pre.map((e) => e.predictedPosition)).toEqual([1, 2, 3]);
    // 100 ELO points = 10^(100/400) = 1.778× the weight.
    expect((pre[0]?.winProbability ?? 0) / (pre[1]?.winProbability ?? 1)).toBeCloseTo(
      10 ** 0.25,
      9,
    );
    const post = predictField(field, 'post_qualifying', { a: 1, b: 1, c: 1 });
    expect(post.map((e) => e.predictedPosition)).toEqual([3, 1, 2]);
  });

  test('strengths are centred on the field mean rating', () => {
    const s = strengths(field, { elo: 1, grid: 0 });
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });
});
