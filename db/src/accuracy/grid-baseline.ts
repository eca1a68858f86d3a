/**
 * The grid-position baseline: "the race finishes in starting order". Its probabilities are how often
 * each grid slot won (and reached the podium) in the seasons before the race — never the race itself —
 * smoothed with one pseudo-start of a fixed curve (0.5^slot to win) so unseen slots and the first
 * seasons still get sensible numbers. Normalised across the field: win sums to 1, podium to 3 (each ≤ 1).
 */
import type { ScoredEntry } from './metrics.ts';

export interface GridSlotCounts {
  starts: number;
  wins: number;
  podiums: number;
}

/** Counts per grid slot (1 = pole) over the seasons before the race. */
export type GridPriors = ReadonlyMap<number, GridSlotCounts>;

export interface GridEntry {
  driverId: number;
  /** Starting position; null or 0 (pit lane) start behind every gridded car. */
  grid: number | null;
}

/** How many earlier seasons the priors cover. */
export const GRID_PRIOR_SEASONS = 10;

const PSEUDO_WIN = (slot: number) => 0.5 ** slot;
const PSEUDO_PODIUM = (slot: number) => Math.min(1, 3 * 0.5 ** slot);

/**
 * Scales `values` to sum to `target` with every value in [lower_i, 1]: the values become
 * clamp(c · v_i, lower_i, 1) for the one scale c that makes them sum to `target` (water-filling: a
 * value held at a bound leaves the rest to be rescaled among the others). `lower` is how a podium
 * column stays at or above the win column (P(podium) ≥ P(win)) without breaking its sum, which
 * raising a value after normalising would. Negative or non-finite values count as 0; when the
 * bounds alone reach `target` the bounds are returned, and when even every positive value at 1 falls
 * short (too few positive values) that is returned (the sum then stays below `target`).
 */
export function normaliseCapped(
  values: readonly number[],
  target: number,
  lower?: readonly number[],
): number[] {
  const v = values.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const lo = v.map((_, i) => Math.min(1, Math.max(0, lower?.[i] ?? 0)));
  const at = (c: number) => v.map((x, i) => Math.min(1, Math.max(lo[i] ?? 0, c * x)));
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  if (sum(lo) >= target) return lo;
  const smallest = Math.min(...v.filter((x) => x > 0));
  if (!Number.isFinite(smallest)) return lo;
  // f(c) = Σ clamp(c·v_i, lo_i, 1) is continuous and non-decreasing: f(0) < target ≤ f(1/smallest)
  // unless too few values are positive. Bisect for c, then solve exactly on the values left free.
  let low = 0;
  let high = 1 / smallest;
  if (sum(at(high)) <= target) return at(high);
  for (let i = 0; i < 200 && low < high; i++) {
    const mid = (low + high) / 2;
    if (mid <= low || mid >= high) break;
    if (sum(at(mid)) < target) low = mid;
    else high = mid;
  }
  const scaled = at(high);
  const free = scaled.map((x, i) => x > (lo[i] ?? 0) && x < 1);
  const fixed = scaled.reduce((s, x, i) => (free[i] ? s : s + x), 0);
  const freeRaw = v.reduce((s, x, i) => (free[i] ? s + x : s), 0);
  const room = target - fixed;
  if (freeRaw <= 0 || room <= 0) return scaled;
  const out = scaled.map((x, i) => (free[i] ? Math.min(1, ((v[i] ?? 0) * room) / freeRaw) : x));
  return out.map((x, i) => Math.max(lo[i] ?? 0, x));
}

/** Starting order: gridded cars by slot, then pit-lane/unknown starters by driver id. */
export function startingOrder(field: readonly GridEntry[]): GridEntry[] {
  const slot = (e: GridEntry) => (e.grid && e.grid > 0 ? e.grid : Number.POSITIVE_INFINITY);
  return [...field].sort((a, b) => slot(a) - slot(b) || a.driverId - b.driverId);
}

/** The baseline's prediction for a field: finishing order = starting order. */
export function gridBaseline(field: readonly GridEntry[], priors: GridPriors): ScoredEntry[] {
  const order = startingOrder(field);
  // A car starting from the pit lane is treated as starting from the back of this field.
  const slots = order.map((_, i) => i + 1);
  const rate = (slot: number, pick: (c: GridSlotCounts) => number, pseudo: number) => {
    const c = priors.get(slot) ?? { starts: 0, wins: 0, podiums: 0 };
    return (pick(c) + pseudo) / (c.starts + 1);
  };
  const win = normaliseCapped(
    slots.map((s) => rate(s, (c) => c.wins, PSEUDO_WIN(s))),
    1,
  );
  const podium = normaliseCapped(
    slots.map((s) => rate(s, (c) => c.podiums, PSEUDO_PODIUM(s))),
    Math.min(3, order.length),
  );
  return order.map((e, i) => ({
    driverId: e.driverId,
    predictedPosition: i + 1,
    winProbability: win[i] ?? 0,
    podiumProbability: Math.max(podium[i] ?? 0, win[i] ?? 0),
  }));
}

/** Accumulates grid-slot counts from finished races (for in-memory replays such as the backtest). */
export function addToPriors(
  priors: Map<number, GridSlotCounts>,
  results: readonly { grid: number | null; positionOrder: number }[],
): void {
  for (const r of results) {
    if (!r.grid || r.grid <= 0) continue;
    const c = priors.get(r.grid) ?? { starts: 0, wins: 0, podiums: 0 };
    c.starts++;
    if (r.positionOrder === 1) c.wins++;
    if (r.positionOrder <= 3) c.podiums++;
    priors.set(r.grid, c);
  }
}
