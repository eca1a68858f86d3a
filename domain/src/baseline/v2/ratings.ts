/**
 * Online driver + team ratings: every decided pair of a race is one logistic game on
 * s_i = D_i + T_team(i), and both ratings move along the gradient of its log-likelihood
 * (ELO in natural units, with a driver and a team component):
 *
 *   g_ij = S_ij − σ(s_i − s_j),   D_i += k_D · Σ_j g_ij / (n − 1),   T_t += k_T · Σ_j g_ij / (n − 1)
 *
 * Who competes: classified cars by finishing order; retirements of any kind and non-starters are left
 * out (`ratedEntries` in ./features.ts) — reliability, mechanical and driver faults, is modelled
 * separately (./reliability.ts), so pace ratings learn neither from a blown engine nor from a crash.
 * At each season start both ratings shrink toward 0 (the field mean): cars change over the winter; and
 * both learning rates are raised by (1 + boost · e^{−races into the season / 4}) while the new cars
 * are least known.
 */
import type { RatingParams } from './types.ts';

/** The early-season boost decays by e every this-many races. */
export const EARLY_RACES = 4;

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface RatedEntry {
  driverId: number;
  teamId: number | null;
  /** Lower is better; equal ranks are not compared. */
  rank: number;
}

export class PaceRatings {
  readonly drivers = new Map<number, number>();
  readonly teams = new Map<number, number>();
  private season = Number.NaN;
  /** Races applied in the current season (the early-season boost fades with it). */
  private racesThisSeason = 0;
  constructor(readonly params: RatingParams) {}

  driver = (id: number): number => this.drivers.get(id) ?? this.params.rookie;
  team = (id: number | null): number => (id === null ? 0 : (this.teams.get(id) ?? 0));
  strength = (driverId: number, teamId: number | null): number =>
    this.driver(driverId) + this.team(teamId);

  /** Shrinks every rating once when a new season begins. */
  enterSeason(season: number): void {
    if (season === this.season) return;
    if (!Number.isNaN(this.season)) {
      for (const [id, r] of this.teams) this.teams.set(id, r * (1 - this.params.teamShrink));
      for (const [id, r] of this.drivers) this.drivers.set(id, r * (1 - this.params.driverShrink));
    }
    this.season = season;
    this.racesThisSeason = 0;
  }

  /** Learning-rate multiplier: new cars are least known in the first races of a season. */
  private boost(): number {
    return 1 + this.params.earlyBoost * Math.exp(-this.racesThisSeason / EARLY_RACES);
  }

  /** Applies one race (the season must have been entered). */
  apply(entries: readonly RatedEntry[]): void {
    const n = entries.length;
    if (n < 2) return;
    const s = entries.map((e) => this.strength(e.driverId, e.teamId));
    const grad = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const a = entries[i] as RatedEntry;
      for (let j = i + 1; j < n; j++) {
        const b = entries[j] as RatedEntry;
        if (a.rank === b.rank) continue;
        const g = (a.rank < b.rank ? 1 : 0) - sigmoid((s[i] ?? 0) - (s[j] ?? 0));
        grad[i] = (grad[i] ?? 0) + g;
        grad[j] = (grad[j] ?? 0) - g;
      }
    }
    const scale = this.boost() / (n - 1);
    this.racesThisSeason++;
    entries.forEach((e, i) => {
      const g = (grad[i] ?? 0) * scale;
      this.drivers.set(e.driverId, this.driver(e.driverId) + this.params.kDriver * g);
      if (e.teamId !== null) {
        this.teams.set(e.teamId, this.team(e.teamId) + this.params.kTeam * g);
      }
    });
  }
}
