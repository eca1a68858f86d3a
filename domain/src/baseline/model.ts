/**
 * The built-in `elo-baseline` model. Each driver gets a strength
 *
 *   pre-qualifying:  s_i = a · (R_i − R̄) · ln10 / 400
 *   post-qualifying: s_i = b · (R_i − R̄) · ln10 / 400 + c · ln p_grid(i)
 *
 * where R is the driver's ELO before the race and p_grid(i) the grid baseline's win probability for
 * his starting slot. Finishing order is modelled as Plackett–Luce on w_i = e^{s_i}: the win probability
 * is w_i / Σw, and the podium probability is the exact chance of being drawn in the first three.
 * a, b, c were fitted once on 1980–2014 (win log loss, grid search; `bun run backtest --fit 1980 2014`)
 * and are not refitted inside a backtest, so 2015 onwards is out of sample.
 */
import { normaliseCapped } from '@f1/db/accuracy/grid-baseline';
import type { ScoredEntry } from '@f1/db/accuracy/metrics';
import { ELO_BASELINE_V2_VERSION } from './v2/forecaster.ts';

export interface ModelParams {
  /** ELO weight before qualifying. */
  a: number;
  /** ELO weight after qualifying. */
  b: number;
  /** Grid weight after qualifying. */
  c: number;
}

export const ELO_BASELINE_PARAMS: ModelParams = { a: 1.5, b: 1, c: 0.6 };
export const ELO_BASELINE_MODEL = 'elo-baseline';
/** This file's model: still predicted live beside v2, for comparison. */
export const ELO_BASELINE_V1_VERSION = '1';
/** The default `elo-baseline` version: v2 (./v2/forecaster.ts), the live default. */
export const ELO_BASELINE_VERSION = ELO_BASELINE_V2_VERSION;

export interface StrengthInput {
  driverId: number;
  rating: number;
  /** Grid baseline win probability (post-qualifying only). */
  gridWin?: number;
}

const LN10_400 = Math.LN10 / 400;

export function strengths(
  field: readonly StrengthInput[],
  weights: { elo: number; grid: number },
): number[] {
  const mean = field.reduce((s, f) => s + f.rating, 0) / Math.max(1, field.length);
  return field.map(
    (f) =>
      weights.elo * (f.rating - mean) * LN10_400 +
      (weights.grid ? weights.grid * Math.log(Math.max(f.gridWin ?? 0, 1e-9)) : 0),
  );
}

/** Plackett–Luce probabilities of winning and of finishing in the first three, exactly (O(n³)). */
export function plackettLuce(s: readonly number[]): { win: number[]; podium: number[] } {
  const top = Math.max(...s);
  const w = s.map((x) => Math.exp(x - top));
  const total = w.reduce((a, b) => a + b, 0);
  const n = w.length;
  const win = w.map((x) => x / total);
  const podium = [...win];
  for (let j = 0; j < n; j++) {
    const pj = win[j] ?? 0;
    const restJ = total - (w[j] ?? 0);
    // In floats a dominant w[j] can swallow the rest (restJ = 0): the others then share nothing.
    if (restJ <= 0) continue;
    for (let k = 0; k < n; k++) {
      if (k === j) continue;
      const pk = pj * Math.min(1, (w[k] ?? 0) / restJ);
      podium[k] = (podium[k] ?? 0) + pk;
      const restJK = restJ - (w[k] ?? 0);
      if (restJK <= 0) continue;
      for (let i = 0; i < n; i++) {
        if (i === j || i === k) continue;
        podium[i] = (podium[i] ?? 0) + pk * Math.min(1, (w[i] ?? 0) / restJK);
      }
    }
  }
  // Exact Plackett–Luce already has podium ≥ win, each ≤ 1, summing to min(3, n); the shared
  // normalisation only removes float noise, so v1 and v2 obey the same bounds.
  if (n <= 3) return { win, podium: win.map(() => 1) };
  return { win, podium: normaliseCapped(podium, Math.min(3, n), win) };
}

/** The model's entries for a field, predicted order by strength (ties by driver id). */
export function predictField(
  field: readonly StrengthInput[],
  stage: 'pre_qualifying' | 'post_qualifying',
  params: ModelParams = ELO_BASELINE_PARAMS,
): ScoredEntry[] {
  const weights =
    stage === 'pre_qualifying' ? { elo: params.a, grid: 0 } : { elo: params.b, grid: params.c };
  const s = strengths(field, weights);
  const { win, podium } = plackettLuce(s);
  const order = field
    .map((f, i) => ({ f, i }))
    .sort((x, y) => (s[y.i] ?? 0) - (s[x.i] ?? 0) || x.f.driverId - y.f.driverId);
  const position = new Map(order.map((o, rank) => [o.i, rank + 1]));
  return field.map((f, i) => ({
    driverId: f.driverId,
    predictedPosition: position.get(i) ?? 0,
    winProbability: win[i] ?? 0,
    podiumProbability: podium[i] ?? 0,
  }));
}
