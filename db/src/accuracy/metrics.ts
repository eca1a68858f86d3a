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

/*
 * Written as plain loops over arrays: the scorer runs this for every set of every race it scores
 * (10,000 times for a 5,000-race bulk submission). Sums run in entry order, exactly as a reduce
 * would, so every figure is the same double as before.
 */

/** Ranks 1..n of `values` (all distinct by construction: ties broken by driver id). */
function ranks(ids: number[], values: number[]): number[] {
  const order = ids.map((_, i) => i);
  order.sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0) || (ids[a] ?? 0) - (ids[b] ?? 0));
  const out = new Array<number>(ids.length);
  order.forEach((index, rank) => {
    out[index] = rank + 1;
  });
  return out;
}

/** Rank correlation over the drivers who raced (`finish` holds their finishing positions). */
function spearman(ids: number[], predicted: number[], finish: number[]): number | null {
  const n = ids.length;
  if (n < 2) return null;
  const p = ranks(ids, predicted);
  const a = ranks(ids, finish);
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((p[i] ?? 0) - (a[i] ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Calibration bins of one event over `count` observations given by index. */
function bins(
  event: CalibrationBin['event'],
  count: number,
  probability: (i: number) => number,
  happened: (i: number) => boolean,
): CalibrationBin[] {
  const predicted = new Array<number>(10).fill(0);
  const observed = new Array<number>(10).fill(0);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < count; i++) {
    const p = probability(i);
    // The epsilon keeps 0.3 in the 0.3 bin (0.3 × 10 = 2.9999999999999996).
    const bin = Math.min(9, Math.floor(p * 10 + 1e-9));
    predicted[bin] = (predicted[bin] ?? 0) + p;
    observed[bin] = (observed[bin] ?? 0) + (happened(i) ? 1 : 0);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const out: CalibrationBin[] = [];
  for (let bin = 0; bin < 10; bin++) {
    const c = counts[bin] ?? 0;
    if (c === 0) continue;
    out.push({
      event,
      bin: bin / 10,
      predicted: (predicted[bin] ?? 0) / c,
      observed: (observed[bin] ?? 0) / c,
      count: c,
    });
  }
  return out;
}

/** Calibration bins for one event: [(probability, happened)]. */
export function calibrationBins(
  event: CalibrationBin['event'],
  observations: [number, boolean][],
): CalibrationBin[] {
  return bins(
    event,
    observations.length,
    (i) => observations[i]?.[0] ?? 0,
    (i) => observations[i]?.[1] ?? false,
  );
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
  // The winner: the lowest finishing position, the first listed on a tie.
  let winner: number | undefined;
  let best = Infinity;
  for (const [driverId, position] of finish) {
    if (position < best) {
      best = position;
      winner = driverId;
    }
  }
  const racedIds: number[] = [];
  const racedPredicted: number[] = [];
  const racedFinish: number[] = [];
  const finishOf = new Array<number>(entries.length);
  let absError = 0;
  let podiumOverlap = 0;
  let top10Overlap = 0;
  let brierWin = 0;
  let brierPodium = 0;
  let predictedWinner: ScoredEntry | undefined;
  let winnerEntry: ScoredEntry | undefined;
  entries.forEach((e, i) => {
    const position = finish.get(e.driverId);
    const at = position ?? Infinity;
    finishOf[i] = at;
    if (position !== undefined) {
      racedIds.push(e.driverId);
      racedPredicted.push(e.predictedPosition);
      racedFinish.push(position);
      absError += Math.abs(e.predictedPosition - position);
    }
    if (e.predictedPosition <= 3 && at <= 3) podiumOverlap++;
    if (e.predictedPosition <= 10 && at <= 10) top10Overlap++;
    const won = e.driverId === winner;
    brierWin += (e.winProbability - (won ? 1 : 0)) ** 2;
    brierPodium += (e.podiumProbability - (at <= 3 ? 1 : 0)) ** 2;
    if (!predictedWinner && e.predictedPosition === 1) predictedWinner = e;
    if (!winnerEntry && won) winnerEntry = e;
  });
  if (racedIds.length === 0) return null;
  const podium = (i: number) => (finishOf[i] ?? Infinity) <= 3;
  return {
    entries: racedIds.length,
    winnerHit: predictedWinner !== undefined && predictedWinner.driverId === winner,
    podiumOverlap,
    top10Overlap,
    meanAbsPositionError: absError / racedIds.length,
    spearmanRho: spearman(racedIds, racedPredicted, racedFinish),
    brierWin,
    brierPodium: brierPodium / 3,
    logLossWin: -Math.log(Math.max(winnerEntry?.winProbability ?? 0, LOG_FLOOR)),
    calibration: [
      ...bins(
        'win',
        entries.length,
        (i) => entries[i]?.winProbability ?? 0,
        (i) => entries[i]?.driverId === winner,
      ),
      ...bins('podium', entries.length, (i) => entries[i]?.podiumProbability ?? 0, podium),
    ],
  };
}
