/**
 * From features to probabilities. Strength (Plackett–Luce log-weight):
 *
 *   pre-qualifying:  s_i = β_pre · (rating_i + μ_pre · team_i)
 *   post-qualifying: s_i = β_r · (rating_i + μ_post · team_i) − β_gap · gap_i − β_grid · ln slot_i
 *                                                − β_slot · (slot_i − 1)
 *
 * Reliability is mixed in: a car wins only if it is classified (probability q_i), and among the
 * classified cars the order is Plackett–Luce. Exactly that needs a sum over which cars retire; the
 * mean-field form replaces each rival's weight by its expectation q_j·w_j:
 *
 *   P(win_i) ∝ q_i · w_i / (w_i + Σ_{j≠i} q_j w_j),   normalised over the field,
 *
 * and the podium likewise (Plackett–Luce on i's own weight against the rivals' expected weights).
 */
import { normaliseCapped } from '@f1/db/accuracy/grid-baseline';
import type { EntryFeatures } from './features.ts';
import { sigmoid } from './ratings.ts';
import type { StageParams } from './types.ts';

export type Stage = 'pre_qualifying' | 'post_qualifying';

export function stageStrengths(
  entries: readonly EntryFeatures[],
  stage: Stage,
  p: StageParams,
): number[] {
  if (stage === 'pre_qualifying') {
    return entries.map((e) => p.pre * (e.rating + p.preTeam * e.team));
  }
  return entries.map(
    (e) =>
      p.rating * (e.rating + p.postTeam * e.team) -
      p.gap * (e.gap ?? 0) -
      p.grid * Math.log(e.slot) -
      p.slot * (e.slot - 1),
  );
}

/** Relative weights e^{s − max s} (so the largest is 1). */
function weightsOf(s: readonly number[]): number[] {
  const top = Math.max(...s);
  return s.map((x) => Math.exp(x - top));
}

/** P(win) of each entrant under reliability-mixed Plackett–Luce (mean-field), summing to 1. */
export function winProbabilities(s: readonly number[], finish: readonly number[]): number[] {
  const w = weightsOf(s);
  const expected = w.map((x, i) => x * (finish[i] ?? 1));
  const total = expected.reduce((a, b) => a + b, 0);
  const raw = w.map((x, i) => ((finish[i] ?? 1) * x) / (x + total - (expected[i] ?? 0)));
  const sum = raw.reduce((a, b) => a + b, 0);
  return sum > 0 ? raw.map((x) => x / sum) : raw.map(() => 1 / Math.max(1, raw.length));
}

/** P(i in the first three) under Plackett–Luce on weights `w` (O(n²)). */
function podiumOf(i: number, w: readonly number[]): number {
  const n = w.length;
  const total = w.reduce((a, b) => a + b, 0);
  const wi = w[i] ?? 0;
  let p = wi / total;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const pj = (w[j] ?? 0) / total;
    const restJ = total - (w[j] ?? 0);
    // restJ ≥ wi exactly; in floats a dominant w[j] can swallow the rest (restJ = 0).
    if (restJ > 0) p += pj * Math.min(1, wi / restJ);
    for (let k = 0; k < n; k++) {
      if (k === i || k === j) continue;
      const pk = pj * ((w[k] ?? 0) / restJ);
      const restJK = restJ - (w[k] ?? 0);
      if (restJK > 0) p += pk * Math.min(1, wi / restJK);
    }
  }
  return p;
}

/**
 * P(podium) of each entrant (reliability-mixed, mean-field), summing to min(3, n), each ≤ 1 and, given
 * the field's win probabilities `win`, each ≥ its P(win). The mean-field forms of win and podium are
 * not consistent with each other: a dominant but fragile favourite's win share is normalised up to
 * nearly 1 while his podium share stays near his P(classified), so the bound is part of the
 * normalisation (the others are scaled down to make room), not applied after it.
 */
export function podiumProbabilities(
  s: readonly number[],
  finish: readonly number[],
  win?: readonly number[],
): number[] {
  // A field of three or fewer is all on the podium (the sum is the field size).
  if (s.length <= 3) return s.map(() => 1);
  const w = weightsOf(s);
  const expected = w.map((x, i) => x * (finish[i] ?? 1));
  const raw = w.map((x, i) => {
    const field = expected.map((e, j) => (j === i ? x : e));
    return (finish[i] ?? 1) * podiumOf(i, field);
  });
  return normaliseCapped(raw, Math.min(3, raw.length), win);
}

/**
 * P(a finishes ahead of b) on the project's pair basis (mechanical retirements left out, a driver
 * fault ranks behind every classified car, two faults tie and are not a pair).
 */
export function pairProbability(a: EntryFeatures, b: EntryFeatures): number {
  const okA = 1 - a.fault;
  const okB = 1 - b.fault;
  const decided = 1 - (1 - okA) * (1 - okB);
  return (okA * (1 - okB) + okA * okB * sigmoid(a.rating - b.rating)) / decided;
}

/** P(a finishes ahead of b) given both are classified. */
export function finishedPairProbability(a: EntryFeatures, b: EntryFeatures): number {
  return sigmoid(a.rating - b.rating);
}
