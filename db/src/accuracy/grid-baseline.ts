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

/** Scales `values` to sum to `target` with no value above 1 (water-filling). */
export function normaliseCapped(values: number[], target: number): number[] {
  const out = [...values];
  const capped = new Set<number>();
  for (let pass = 0; pass <= out.length; pass++) {
    const free = out.reduce((s, v, i) => (capped.has(i) ? s : s + v), 0);
    const room = target - capped.size;
    if (free <= 0 || room <= 0) break;
    let changed = false;
    out.forEach((v, i) => {
      if (capped.has(i)) return;
      const scaled = (v * room) / free;
      out[i] = Math.min(1, scaled);
      if (scaled >= 1) {
        capped.add(i);
        changed = true;
      }
    });
    if (!changed) break;
  }
  return out;
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
