import { describe, expect, test } from 'bun:test';
import { calibrationBins, raceMetrics } from './metrics.ts';

/**
 * A fixture race computed by hand. Predicted A, B, C, D (ids 1–4) with win 0.4/0.3/0.2/0.1 and
 * podium 0.9/0.8/0.7/0.6; they finished B, C, A, D.
 *   winner hit: A predicted to win, B won → false.      podium overlap {A,B,C} ∩ {B,C,A} = 3.
 *   MAE: |1−3| + |2−1| + |3−2| + |4−4| = 4, / 4 = 1.
 *   Spearman: d = −2, 1, 1, 0 → Σd² = 6 → 1 − 6·6 / (4·15) = 0.4.
 *   Brier win: 0.4² + 0.7² + 0.2² + 0.1² = 0.16 + 0.49 + 0.04 + 0.01 = 0.70.
 *   Brier podium: (0.1² + 0.2² + 0.3² + 0.6²) / 3 = (0.01 + 0.04 + 0.09 + 0.36) / 3 = 0.5 / 3.
 *   log loss: −ln 0.3 = 1.2039728.
 */
const entries = [
  { driverId: 1, predictedPosition: 1, winProbability: 0.4, podiumProbability: 0.9 },
  { driverId: 2, predictedPosition: 2, winProbability: 0.3, podiumProbability: 0.8 },
  { driverId: 3, predictedPosition: 3, winProbability: 0.2, podiumProbability: 0.7 },
  { driverId: 4, predictedPosition: 4, winProbability: 0.1, podiumProbability: 0.6 },
];
const result = [
  { driverId: 2, positionOrder: 1 },
  { driverId: 3, positionOrder: 2 },
  { driverId: 1, positionOrder: 3 },
  { driverId: 4, positionOrder: 4 },
];

describe('raceMetrics on a hand-computed fixture race', () => {
  const m = raceMetrics(entries, result);

  test('ranking metrics', () => {
    expect(m).toMatchObject({ entries: 4, winnerHit: false, podiumOverlap: 3, top10Overlap: 4 });
    expect(m?.meanAbsPositionError).toBe(1);
    expect(m?.spearmanRho).toBeCloseTo(0.4, 12);
  });

  test('probability metrics', () => {
    expect(m?.brierWin).toBeCloseTo(0.7, 12);
    expect(m?.brierPodium).toBeCloseTo(0.5 / 3, 12);
    expect(m?.logLossWin).toBeCloseTo(1.2039728, 6);
  });

  test('calibration bins, win then podium', () => {
    expect(m?.calibration.map((b) => [b.event, b.bin, b.count, b.observed])).toEqual([
      ['win', 0.1, 1, 0],
      ['win', 0.2, 1, 0],
      ['win', 0.3, 1, 1],
      ['win', 0.4, 1, 0],
      ['podium', 0.6, 1, 0],
      ['podium', 0.7, 1, 1],
      ['podium', 0.8, 1, 1],
      ['podium', 0.9, 1, 1],
    ]);
  });

  test('a perfect forecast scores 0 Brier, ρ = 1 and a hit', () => {
    const perfect = raceMetrics(
      result.map((r, i) => ({
        driverId: r.driverId,
        predictedPosition: r.positionOrder,
        winProbability: i === 0 ? 1 : 0,
        podiumProbability: i < 3 ? 1 : 0,
      })),
      result,
    );
    expect(perfect).toMatchObject({
      winnerHit: true,
      brierWin: 0,
      brierPodium: 0,
      spearmanRho: 1,
      meanAbsPositionError: 0,
    });
    expect(perfect?.logLossWin).toBeCloseTo(0, 12);
  });

  test('a predicted driver who did not race is left out of ranks; a missing winner floors the log loss', () => {
    const m2 = raceMetrics(entries, [
      { driverId: 9, positionOrder: 1 },
      { driverId: 1, positionOrder: 2 },
      { driverId: 1, positionOrder: 5 },
    ]);
    expect(m2).toMatchObject({
      entries: 1,
      winnerHit: false,
      spearmanRho: null,
      meanAbsPositionError: 1,
    });
    expect(m2?.logLossWin).toBeCloseTo(-Math.log(1e-15), 9);
    expect(raceMetrics(entries, [{ driverId: 9, positionOrder: 1 }])).toBeNull();
  });
});

describe('calibrationBins', () => {
  test('averages predictions and outcomes per bin; probability 1 falls in the top bin', () => {
    const bins = calibrationBins('win', [
      [0.05, false],
      [0.07, true],
      [1, true],
    ]);
    expect(
      bins.map((b) => [b.event, b.bin, Math.round(b.predicted * 1e9) / 1e9, b.observed, b.count]),
    ).toEqual([
      ['win', 0, 0.06, 0.5, 2],
      ['win', 0.9, 1, 1, 1],
    ]);
  });
});
