import { describe, expect, test } from 'bun:test';
import type { HistoryResult } from '@f1/domain/ratings/replay';
import type { PreRaceView, ScoredRace } from './backtest.ts';
import { buildReport, formatReport, jsonReport } from './report.ts';
import { type BacktestEntry, scoreRace } from './scoring.ts';

/** 1 won, 2 second, 3 retired mechanically (classified 3rd by order), 4 crashed, 5 lapped. */
const results: HistoryResult[] = [
  { driverId: 1, teamId: 1, grid: 1, position: 1, positionOrder: 1, status: 'Finished' },
  { driverId: 2, teamId: 1, grid: 2, position: 2, positionOrder: 2, status: 'Finished' },
  { driverId: 5, teamId: 2, grid: 5, position: 3, positionOrder: 3, status: '+1 Lap' },
  { driverId: 3, teamId: 2, grid: 3, position: null, positionOrder: 4, status: 'Engine' },
  { driverId: 4, teamId: 3, grid: 4, position: null, positionOrder: 5, status: 'Accident' },
];

const entry = (driverId: number, p: number, podium: number, strength?: number): BacktestEntry => ({
  driverId,
  predictedPosition: driverId,
  winProbability: p,
  podiumProbability: podium,
  ...(strength === undefined ? {} : { strength }),
});

/** "even": uniform; "strong": explicit strengths that disagree with its win probabilities. */
const predictions = {
  even: [1, 2, 3, 4, 5].map((d) => entry(d, 0.2, 0.6)),
  strong: [1, 2, 3, 4, 5].map((d) => entry(d, 0.2, 0.6, -d)),
};

const view = (raceId: number, season: number): PreRaceView => ({
  raceId,
  season,
  round: raceId,
  field: [],
});

const σ = (x: number) => 1 / (1 + Math.exp(-x));

describe('backtest scoring on every basis', () => {
  const scores = scoreRace(predictions, results, (id) => 1500 + 100 * (5 - id));

  test('pair sets: project (driver-fault behind, mechanical out) and both-finished', () => {
    // Project: 1, 2, 5 classified; 4 (accident) behind them; 3 (engine) left out → 6 pairs.
    expect(scores.pairwise.project.pairs).toBe(6);
    // Both finished: 1, 2, 5 → 3 pairs.
    expect(scores.pairwise.bothFinished.pairs).toBe(3);
    // Uniform win probabilities: every pair is a coin flip.
    expect(scores.pairwise.project.sums.even).toBeCloseTo(6 * Math.LN2, 12);
    // Explicit strengths win over the win probabilities: s = −id, so P(1 ahead of 2) = σ(1).
    const fin = [
      [1, 2],
      [1, 5],
      [2, 5],
    ].reduce((s, [a, b]) => s - Math.log(σ((b ?? 0) - (a ?? 0))), 0);
    expect(scores.pairwise.bothFinished.sums.strong).toBeCloseTo(fin, 12);
    // ELO ratings: P(1 ahead of 2) = 1 / (1 + 10^(−100/400)).
    const elo = (a: number, b: number) => 1 / (1 + 10 ** ((b - a) / 400));
    const ratingOf = (id: number) => 1500 + 100 * (5 - id);
    const expected = [
      [1, 2],
      [1, 5],
      [2, 5],
    ].reduce((s, [a, b]) => s - Math.log(elo(ratingOf(a ?? 0), ratingOf(b ?? 0))), 0);
    expect(scores.pairwise.bothFinished.sums['elo-ratings']).toBeCloseTo(expected, 12);
  });

  test('per-driver Brier and podium log loss', () => {
    const even = scores.metrics.even;
    expect(even?.field).toBe(5);
    expect(even?.brierWin).toBeCloseTo(0.8 ** 2 + 4 * 0.2 ** 2, 12);
    // Podium: 1, 2, 5 on it (p 0.6), 3 and 4 off it (1 − p = 0.4).
    expect(even?.logLossPodium).toBeCloseTo(-(3 * Math.log(0.6) + 2 * Math.log(0.4)) / 3, 12);
  });

  test('the report: identical races, per season and pooled, models in first-seen order', () => {
    const race = (raceId: number, season: number, preds: Record<string, BacktestEntry[]>) =>
      ({
        view: view(raceId, season),
        predictions: preds,
        ...scoreRace(preds, results, () => 1500),
      }) as unknown as ScoredRace;
    const scored = [
      race(1, 2001, predictions),
      race(2, 2002, predictions),
      // `strong` did not predict this race: it is left out for every model.
      race(3, 2002, { even: predictions.even }),
    ];
    const report = buildReport(scored);
    expect(report.models).toEqual(['even', 'strong']);
    expect(report.pairwiseSources).toEqual(['elo-ratings', 'even', 'strong']);
    expect(report.excluded).toEqual([{ raceId: 3, season: 2002, round: 3, missing: ['strong'] }]);
    expect(report.seasons.map((s) => [s.season, s.races])).toEqual([
      [2001, 1],
      [2002, 1],
    ]);
    const even = report.pooled.models.even;
    expect(even?.races).toBe(2);
    expect(even?.drivers).toBe(10);
    expect(even?.brierWinPerDriver).toBeCloseTo((2 * (0.64 + 0.16)) / 10, 12);
    expect(report.pooled.pairwise.project).toMatchObject({ pairs: 12 });
    expect(report.pooled.pairwise.project.logLoss['elo-ratings']).toBeCloseTo(Math.LN2, 12);
    // Calibration pooled over races: the 0.2 win bin holds 10 drivers, 2 of whom won.
    expect(even?.calibration.win).toEqual([{ bin: 0.2, predicted: 0.2, observed: 0.2, count: 10 }]);
    const text = formatReport(report);
    expect(text).toContain('left out (not predicted by every model): 2002 R3 (strong)');
    expect(text).toContain('0.200/0.200 (10)');
    // Nothing to average is null in JSON, never NaN.
    const empty = JSON.parse(jsonReport(buildReport([])));
    expect(empty.pooled.pairwise.project.logLoss['elo-ratings']).toBeNull();
  });
});
