/**
 * Scores one backtest race for every model in its predictions map, on every basis the report shows.
 * Model-agnostic: a model is scored because it is in the map, nothing else names it.
 *
 * - The metrics of `@f1/db/accuracy/metrics` (Σ win Brier, podium Brier, win log loss, ρ, calibration),
 *   plus the field size (for the per-driver win Brier, Σ / field) and the podium log loss:
 *   −(1/3) Σ_i [o_i ln p_i + (1 − o_i) ln(1 − p_i)] over the field, o_i = finished in the first three,
 *   p clamped to [1e-15, 1 − 1e-15] (the binary log loss, scaled by the podium places like the Brier).
 * - Pairwise log loss: for a pair (i ahead of j), −ln P(i ahead of j) with
 *   P(i ahead of j) = w_i / (w_i + w_j) = 1 / (1 + e^(s_j − s_i)), s the model's Plackett–Luce
 *   log-strength: the entry's `strength` when the model gives one, else ln p_win (exactly the same
 *   differences for a Plackett–Luce model, whose p_win = w / Σw). Two pair sets:
 *   - `project`: the ratings' own comparisons (`driverCompetitors`: classified finishers by finishing
 *     order, driver-fault retirements level behind them, mechanical retirements and non-starters out;
 *     pairs of equal rank skipped) — what `pairwiseLogLoss` of domain/src/ratings/elo.ts scores;
 *   - `bothFinished`: only pairs where both drivers finished — classified and running at the flag
 *     (status 'Finished', '+n Laps', 'Lapped'; a car classified after retiring late is out) — by
 *     finishing order: the basis of the published F1 ELO figure.
 *   A pair counts only when every model (and the ELO ratings) has both drivers, so all are scored on
 *   identical pairs. `elo-ratings` is the driver ELO before the race itself, s = R · ln10 / 400
 *   (P = the ELO expected score): the figure the project has always reported.
 */
import { type RaceMetrics, raceMetrics, type ScoredEntry } from '@f1/db/accuracy/metrics';
import type { Competitor } from '@f1/domain/ratings/elo';
import { driverCompetitors, outcomeOf, type ResultForRating } from '@f1/domain/ratings/outcomes';

/** One driver in one model's prediction of a race. */
export interface BacktestEntry extends ScoredEntry {
  /** Plackett–Luce log-strength (any offset); omitted: ln of the win probability is used. */
  strength?: number;
}

export const PAIR_BASES = ['project', 'bothFinished'] as const;
export type PairBasis = (typeof PAIR_BASES)[number];

/** The pairwise source that is the ELO ratings themselves, beside every model. */
export const RATINGS_SOURCE = 'elo-ratings';

/** Σ −ln P(ahead) per source over one race's pairs of one basis (identical pairs for every source). */
export interface PairSums {
  pairs: number;
  sums: Record<string, number>;
}

export interface BacktestMetrics extends RaceMetrics {
  /** Drivers the model predicted (the per-driver Brier divides by it). */
  field: number;
  logLossPodium: number;
}

export interface RaceScores {
  metrics: Record<string, BacktestMetrics>;
  pairwise: Record<PairBasis, PairSums>;
}

const FLOOR = 1e-15;

/** −ln σ(x), computed without overflow. */
const minusLogSigmoid = (x: number) => Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

function podiumLogLoss(entries: readonly ScoredEntry[], finish: Map<number, number>): number {
  let sum = 0;
  for (const e of entries) {
    const p = Math.min(1 - FLOOR, Math.max(FLOOR, e.podiumProbability));
    sum -= (finish.get(e.driverId) ?? Infinity) <= 3 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / 3;
}

/** Running at the flag: 'Finished', '+n Lap(s)', or the newer vocabulary's 'Lapped'. */
const FINISHED = /^(finished|\+\d+ laps?|lapped)$/i;

/** Drivers who finished (classified and running at the flag), best entry each, by finishing order. */
function finishers(results: readonly ResultForRating[]): Competitor[] {
  const ranks = new Map<number, number>();
  for (const r of results) {
    if (outcomeOf(r) !== 'classified' || !FINISHED.test(r.status?.trim() ?? '')) continue;
    ranks.set(r.driverId, Math.min(r.positionOrder, ranks.get(r.driverId) ?? Infinity));
  }
  return [...ranks].map(([id, rank]) => ({ id, rank })).sort((a, b) => a.id - b.id);
}

/** [ahead, behind] for every pair of different rank. */
function pairsOf(competitors: readonly Competitor[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < competitors.length; i++) {
    for (let j = i + 1; j < competitors.length; j++) {
      const a = competitors[i];
      const b = competitors[j];
      if (!a || !b || a.rank === b.rank) continue;
      out.push(a.rank < b.rank ? [a.id, b.id] : [b.id, a.id]);
    }
  }
  return out;
}

type Strengths = Map<number, number>;

/**
 * A model's own P(`ahead` finishes ahead of `behind`) on a pair basis, for a model whose pairwise view
 * is not a Plackett–Luce strength alone (v2 mixes reliability in on the project's pairs).
 */
export type PairProbability = (ahead: number, behind: number, basis: PairBasis) => number;

/** A pair source: log-strengths (P = σ(s_a − s_b)) or the model's own pair probability over its field. */
type PairSource = Strengths | { field: ReadonlySet<number>; ahead: PairProbability };

function strengthsOf(entries: readonly BacktestEntry[]): Strengths {
  return new Map(
    entries.map((e) => [e.driverId, e.strength ?? Math.log(Math.max(e.winProbability, FLOOR))]),
  );
}

function pairSums(
  pairs: [number, number][],
  sources: [string, PairSource][],
  basis: PairBasis,
): PairSums {
  const sums: Record<string, number> = {};
  for (const [name] of sources) sums[name] = 0;
  let counted = 0;
  for (const [ahead, behind] of pairs) {
    const losses: number[] = [];
    for (const [, s] of sources) {
      if (!(s instanceof Map)) {
        if (!s.field.has(ahead) || !s.field.has(behind)) break;
        const p = s.ahead(ahead, behind, basis);
        losses.push(-Math.log(Math.min(1 - FLOOR, Math.max(FLOOR, p))));
        continue;
      }
      const a = s.get(ahead);
      const b = s.get(behind);
      if (a === undefined || b === undefined) break;
      losses.push(minusLogSigmoid(a - b));
    }
    // A pair counts only when every source has both drivers (identical pairs for every source).
    if (losses.length !== sources.length) continue;
    counted++;
    sources.forEach(([name], i) => {
      sums[name] = (sums[name] ?? 0) + (losses[i] ?? 0);
    });
  }
  return { pairs: counted, sums };
}

const LN10_400 = Math.LN10 / 400;

/**
 * Every model's metrics for one race and the pairwise sums of every source on both pair sets.
 * `rating` is the driver ELO before the race (the `elo-ratings` source).
 */
export function scoreRace(
  predictions: Readonly<Record<string, readonly BacktestEntry[]>>,
  results: readonly ResultForRating[],
  rating: (driverId: number) => number,
  pairProbabilities: Readonly<Record<string, PairProbability>> = {},
): RaceScores {
  const finishing = results.map((r) => ({ driverId: r.driverId, positionOrder: r.positionOrder }));
  const finish = new Map<number, number>();
  for (const r of finishing) {
    finish.set(r.driverId, Math.min(r.positionOrder, finish.get(r.driverId) ?? Infinity));
  }
  const metrics: Record<string, BacktestMetrics> = {};
  const sources: [string, PairSource][] = [];
  const drivers = new Set(results.map((r) => r.driverId));
  sources.push([
    RATINGS_SOURCE,
    new Map([...drivers].map((id) => [id, rating(id) * LN10_400] as [number, number])),
  ]);
  for (const [model, entries] of Object.entries(predictions)) {
    const m = raceMetrics([...entries], finishing);
    if (!m) continue;
    metrics[model] = { ...m, field: entries.length, logLossPodium: podiumLogLoss(entries, finish) };
    const own = pairProbabilities[model];
    sources.push([
      model,
      own ? { field: new Set(entries.map((e) => e.driverId)), ahead: own } : strengthsOf(entries),
    ]);
  }
  return {
    metrics,
    pairwise: {
      project: pairSums(pairsOf(driverCompetitors(results)), sources, 'project'),
      bothFinished: pairSums(pairsOf(finishers(results)), sources, 'bothFinished'),
    },
  };
}
