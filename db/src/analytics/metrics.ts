/**
 * Accuracy of one prediction set against one race result, as pure functions (accuracy tracking and the
 * backtest use the same code). Definitions:
 *
 * - winner hit: the driver predicted 1st won.
 * - podium / top-10 overlap: drivers predicted in the top 3 (10) who finished there.
 * - mean absolute position error: mean |predicted − finishing position| over drivers who raced.
 * - Spearman ρ: rank correlation of predicted and finishing order among drivers who raced.
 * - Brier (win): Σ_i (p_win_i − won_i)², the multi-class Brier score (0 perfect, 2 worst; a uniform
 *   forecast over n drivers scores 1 − 1/n).
 * - Brier (podium): (1/3) Σ_i (p_podium_i − podium_i)², the same scaled by the 3 podium places.
 * - log loss (win): −ln p_win(winner), with p floored at 1e-15.
 * - calibration: per 0.1-wide probability bin, mean predicted probability vs observed frequency.
 */
import type { CalibrationBin } from '../schema.ts';

export interface ScoredEntry {
  driverId: number;
  predictedPosition: number;
  winProbability: number;
  podiumProbability: number;
}

/** A driver's finishing order (classification order: every starter has one). */
export interface FinishingPosition {
  driverId: number;
  positionOrder: number;
}

export interface RaceMetrics {
  entries: number;
  winnerHit: boolean;
  podiumOverlap: number;
  top10Overlap: number;
  meanAbsPositionError: number;
  spearmanRho: number | null;
  brierWin: number;
  brierPodium: number;
  logLossWin: number;
  calibration: CalibrationBin[];
}

const LOG_FLOOR = 1e-15;

function overlap(entries: ScoredEntry[], finish: Map<number, number>, places: number): number {
  return entries.filter(
    (e) => e.predictedPosition <= places && (finish.get(e.driverId) ?? Infinity) <= places,
  ).length;
}

/** Ranks 1..n of `values` (all distinct by construction: ties broken by driver id). */
function ranks(pairs: [number, number][]): Map<number, number> {
  const sorted = [...pairs].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return new Map(sorted.map(([id], i) => [id, i + 1]));
}

function spearman(entries: ScoredEntry[], finish: Map<number, number>): number | null {
  const raced = entries.filter((e) => finish.has(e.driverId));
  const n = raced.length;
  if (n < 2) return null;
  const predicted = ranks(raced.map((e) => [e.driverId, e.predictedPosition]));
  const actual = ranks(raced.map((e) => [e.driverId, finish.get(e.driverId) ?? 0]));
  let d2 = 0;
  for (const e of raced)
    d2 += ((predicted.get(e.driverId) ?? 0) - (actual.get(e.driverId) ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Calibration bins for one event: [(probability, happened)]. */
export function calibrationBins(
  event: CalibrationBin['event'],
  observations: [number, boolean][],
): CalibrationBin[] {
  const bins = new Map<number, { predicted: number; observed: number; count: number }>();
  for (const [p, happened] of observations) {
    // The epsilon keeps 0.3 in the 0.3 bin (0.3 × 10 = 2.9999999999999996).
    const bin = Math.min(9, Math.floor(p * 10 + 1e-9));
    const b = bins.get(bin) ?? { predicted: 0, observed: 0, count: 0 };
    b.predicted += p;
    b.observed += happened ? 1 : 0;
    b.count++;
    bins.set(bin, b);
  }
  return [...bins]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, b]) => ({
      event,
      bin: bin / 10,
      predicted: b.predicted / b.count,
      observed: b.observed / b.count,
      count: b.count,
    }));
}

/** Every metric of one prediction set against one result; null when no predicted driver raced. */
export function raceMetrics(
  entries: ScoredEntry[],
  result: FinishingPosition[],
): RaceMetrics | null {
  const finish = new Map<number, number>();
  for (const r of result) {
    finish.set(r.driverId, Math.min(r.positionOrder, finish.get(r.driverId) ?? Infinity));
  }
  const raced = entries.filter((e) => finish.has(e.driverId));
  if (raced.length === 0) return null;
  const winner = [...finish].sort((a, b) => a[1] - b[1])[0]?.[0];
  const won = (e: ScoredEntry) => e.driverId === winner;
  const podium = (e: ScoredEntry) => (finish.get(e.driverId) ?? Infinity) <= 3;

  const predictedWinner = entries.find((e) => e.predictedPosition === 1);
  const winnerEntry = entries.find(won);
  return {
    entries: raced.length,
    winnerHit: predictedWinner !== undefined && won(predictedWinner),
    podiumOverlap: overlap(entries, finish, 3),
    top10Overlap: overlap(entries, finish, 10),
    meanAbsPositionError:
      raced.reduce((s, e) => s + Math.abs(e.predictedPosition - (finish.get(e.driverId) ?? 0)), 0) /
      raced.length,
    spearmanRho: spearman(entries, finish),
    brierWin: entries.reduce((s, e) => s + (e.winProbability - (won(e) ? 1 : 0)) ** 2, 0),
    brierPodium:
      entries.reduce((s, e) => s + (e.podiumProbability - (podium(e) ? 1 : 0)) ** 2, 0) / 3,
    logLossWin: -Math.log(Math.max(winnerEntry?.winProbability ?? 0, LOG_FLOOR)),
    calibration: [
      ...calibrationBins(
        'win',
        entries.map((e) => [e.winProbability, won(e)]),
      ),
      ...calibrationBins(
        'podium',
        entries.map((e) => [e.podiumProbability, podium(e)]),
      ),
    ],
  };
}
