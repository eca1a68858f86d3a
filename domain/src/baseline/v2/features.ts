/**
 * The feature builder: walks finished races in order and, for the next race, gives every entrant the
 * features v2 predicts from — pace rating (driver + team), P(classified), P(driver fault), gap to pole in
 * qualifying and grid slot. It only ever learns from races passed to `observe`, so the features of a
 * race cannot depend on its own result or on any later one.
 */
import { outcomeOf } from '../../ratings/outcomes.ts';
import type { HistoryResult } from '../../ratings/replay.ts';
import { PaceRatings, type RatedEntry } from './ratings.ts';
import { Reliability } from './reliability.ts';
import type { QualifyingTime, V2Params, V2Race, V2View } from './types.ts';

/** Gaps to pole are capped here (%): beyond it a lap says little more, and outliers are noise. */
export const GAP_CAP = 5;

export interface EntryFeatures {
  driverId: number;
  teamId: number | null;
  /** D + T, log-odds units. */
  rating: number;
  /** T alone. */
  team: number;
  /** P(classified). */
  finish: number;
  /** P(a driver fault | started). */
  fault: number;
  /** Gap of the best Q time to the fastest, %, capped; null without times. */
  gap: number | null;
  /** Grid slot among this field (pit lane / unknown: behind every gridded car). */
  slot: number;
}

export interface RaceFeatures {
  raceId: number;
  season: number;
  entries: EntryFeatures[];
}

/** Pace competitors of a race: classified by order, driver faults behind, the rest left out. */
export function ratedEntries(
  results: readonly HistoryResult[],
  options: { faults?: boolean } = {},
): RatedEntry[] {
  const faults = options.faults ?? true;
  const best = new Map<number, RatedEntry>();
  for (const r of results) {
    const outcome = outcomeOf(r);
    const rank =
      outcome === 'classified'
        ? r.positionOrder
        : outcome === 'driver_fault' && faults
          ? 1_000
          : null;
    if (rank === null) continue;
    const known = best.get(r.driverId);
    if (!known || rank < known.rank)
      best.set(r.driverId, { driverId: r.driverId, teamId: r.teamId, rank });
  }
  return [...best.values()].sort((a, b) => a.driverId - b.driverId);
}

/** Each driver's best Q time as a capped % gap to the fastest; empty without times. */
export function qualifyingGaps(times: readonly QualifyingTime[] | undefined): Map<number, number> {
  const best = new Map<number, number>();
  for (const t of times ?? []) {
    const laps = [t.q1, t.q2, t.q3].filter((x): x is number => x !== null && x > 0);
    if (laps.length) best.set(t.driverId, Math.min(...laps, best.get(t.driverId) ?? Infinity));
  }
  const pole = Math.min(...best.values());
  const gaps = new Map<number, number>();
  for (const [id, time] of best) gaps.set(id, Math.min(GAP_CAP, (100 * (time - pole)) / pole));
  return gaps;
}

/** Grid slots 1..n in starting order (pit lane and unknown behind, by driver id). */
function slots(field: V2View['field']): Map<number, number> {
  const key = (g: number | null) => (g && g > 0 ? g : Infinity);
  const order = [...field].sort((a, b) => key(a.grid) - key(b.grid) || a.driverId - b.driverId);
  return new Map(order.map((f, i) => [f.driverId, i + 1]));
}

/** Parts of v2 switched off, for ablations: each falls back to "no information". */
export interface Ablation {
  reliability?: boolean;
  qualifying?: boolean;
  team?: boolean;
  /**
   * Count driver faults in the pace ratings too (behind every classified car, v1's rule). By default
   * they are left out: the reliability model accounts for them, and counting them twice was measured
   * to cost (pre-qualifying win Brier 0.660 vs 0.655, project pairs 0.487 vs 0.478, 2015–2024).
   */
  faultsInPace?: boolean;
}

export class FeatureBuilder {
  readonly ratings: PaceRatings;
  readonly reliability: Reliability;
  constructor(
    readonly params: Pick<V2Params, 'ratings' | 'reliability'>,
    private readonly ablate: Ablation = {},
  ) {
    this.ratings = new PaceRatings(params.ratings);
    this.reliability = new Reliability(params.reliability);
  }

  /** Features of an upcoming race from the races observed so far. */
  features(view: V2View): RaceFeatures {
    this.ratings.enterSeason(view.season);
    const gaps = this.ablate.qualifying
      ? new Map<number, number>()
      : qualifyingGaps(view.qualifying);
    const reliable = !this.ablate.reliability;
    const slot = slots(view.field);
    return {
      raceId: view.raceId,
      season: view.season,
      entries: view.field.map((f) => {
        const rates = this.reliability.rates(f.driverId, f.teamId);
        return {
          driverId: f.driverId,
          teamId: f.teamId,
          rating: this.ratings.strength(f.driverId, f.teamId),
          team: this.ratings.team(f.teamId),
          finish: reliable ? (1 - rates.mechanical) * (1 - rates.fault) : 1,
          fault: reliable ? rates.fault : 0,
          gap: gaps.size ? (gaps.get(f.driverId) ?? GAP_CAP) : null,
          slot: slot.get(f.driverId) ?? view.field.length,
        };
      }),
    };
  }

  /** Learns from a finished race (after it has been predicted). */
  observe(race: V2Race): void {
    this.ratings.enterSeason(race.season);
    this.ratings.apply(ratedEntries(race.results, { faults: this.ablate.faultsInPace === true }));
    this.reliability.apply(race.results);
  }
}

/** The pre-race view of a finished race (entrants, grid, qualifying): what a prediction may see. */
export function viewOf(race: V2Race): V2View {
  const seen = new Map<number, V2View['field'][number]>();
  for (const r of race.results) {
    const grid = r.grid && r.grid > 0 ? r.grid : null;
    const known = seen.get(r.driverId);
    if (!known || (grid !== null && (known.grid === null || grid < known.grid))) {
      seen.set(r.driverId, { driverId: r.driverId, teamId: r.teamId, grid });
    }
  }
  return {
    raceId: race.raceId,
    season: race.season,
    round: race.round,
    field: [...seen.values()].sort((a, b) => a.driverId - b.driverId),
    qualifying: race.qualifying,
  };
}
