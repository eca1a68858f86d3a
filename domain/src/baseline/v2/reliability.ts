/**
 * Reliability: how likely a car is to reach the flag. Two rates, from the status history:
 *
 *   m_team   = (mechanical_t + a_T · μ_mech) / (starts_t + a_T)      (engine, gearbox, … — the team's)
 *   f_driver = (faults_d    + a_D · μ_fault) / (starts_d + a_D)      (accident, spin, … — the driver's)
 *
 * Counts decay by `decay` per race (recent seasons matter more: a 1980s car failed every other race),
 * and the field means μ decay the same way. The Beta(a·μ, a·(1−μ)) prior shrinks a team or driver with
 * few starts toward the field. P(finishes) = (1 − m_team)(1 − f_driver).
 */
import { type Outcome, outcomeOf } from '../../ratings/outcomes.ts';
import type { HistoryResult } from '../../ratings/replay.ts';
import type { ReliabilityParams } from './types.ts';

interface Counts {
  events: number;
  starts: number;
}

/** Posterior mean of a rate under a Beta prior of `prior` pseudo-starts at `mean`. */
export function shrunkRate(counts: Counts, mean: number, prior: number): number {
  return (counts.events + prior * mean) / (counts.starts + prior);
}

class DecayedCounts {
  private readonly counts = new Map<number, Counts & { at: number }>();
  get(id: number, now: number, decay: number): Counts {
    const c = this.counts.get(id);
    if (!c) return { events: 0, starts: 0 };
    const w = decay ** (now - c.at);
    return { events: c.events * w, starts: c.starts * w };
  }
  add(id: number, event: boolean, now: number, decay: number): void {
    const c = this.get(id, now, decay);
    this.counts.set(id, { events: c.events + (event ? 1 : 0), starts: c.starts + 1, at: now });
  }
}

/** Field-wide rates before any history: a neutral start. */
const FIELD_START = { mechanical: 0.15, fault: 0.08 };

export class Reliability {
  private readonly teams = new DecayedCounts();
  private readonly drivers = new DecayedCounts();
  private field = { mechanical: { events: 0, starts: 0 }, fault: { events: 0, starts: 0 } };
  /** Races applied so far (the clock of the decay). */
  private races = 0;
  constructor(readonly params: ReliabilityParams) {}

  private fieldMean(kind: 'mechanical' | 'fault'): number {
    const c = this.field[kind];
    // One pseudo-race of the neutral start keeps the first races sane.
    return (c.events + FIELD_START[kind] * 20) / (c.starts + 20);
  }

  /** Mechanical-failure rate of a team and fault rate of a driver, before the next race. */
  rates(driverId: number, teamId: number | null): { mechanical: number; fault: number } {
    const { decay, teamPrior, driverPrior } = this.params;
    const mu = this.fieldMean('mechanical');
    const mechanical =
      teamId === null ? mu : shrunkRate(this.teams.get(teamId, this.races, decay), mu, teamPrior);
    const fault = shrunkRate(
      this.drivers.get(driverId, this.races, decay),
      this.fieldMean('fault'),
      driverPrior,
    );
    return { mechanical, fault };
  }

  /** P(the car is classified) before the next race. */
  finishes(driverId: number, teamId: number | null): number {
    const r = this.rates(driverId, teamId);
    return (1 - r.mechanical) * (1 - r.fault);
  }

  /** Learns from one race's statuses (non-starters are left out). */
  apply(results: readonly HistoryResult[]): void {
    const d = this.params.decay;
    const decayField = (c: Counts) => ({ events: c.events * d, starts: c.starts * d });
    this.field = {
      mechanical: decayField(this.field.mechanical),
      fault: decayField(this.field.fault),
    };
    this.races++;
    const seen = new Set<number>();
    for (const r of results) {
      const outcome: Outcome = outcomeOf(r);
      if (outcome === 'did_not_start' || seen.has(r.driverId)) continue;
      seen.add(r.driverId);
      const mechanical = outcome === 'retired_other';
      const fault = outcome === 'driver_fault';
      this.field.mechanical.starts++;
      this.field.fault.starts++;
      if (mechanical) this.field.mechanical.events++;
      if (fault) this.field.fault.events++;
      if (r.teamId !== null) this.teams.add(r.teamId, mechanical, this.races, d);
      this.drivers.add(r.driverId, fault, this.races, d);
    }
  }
}
