/**
 * The vocabulary of the per-season rules table (rules.ts): which results count (best N, per block),
 * how constructors score, and the adjustments the results themselves do not show.
 */

/** Of the rounds `fromRound`..`toRound` (null: to the season's end), only the best `best` results count. */
export interface CountingBlock {
  fromRound: number;
  toRound: number | null;
  best: number;
}

/** The blocks of a season; empty when every result counts. */
export type Counting = readonly CountingBlock[];

export type ConstructorScoring =
  /** Every car's points count (1979 on): the constructor's points are its cars' points. */
  | { kind: 'all-cars' }
  /**
   * Only the constructor's best-placed car scores, what its drivers scored (1958–1978); where that
   * includes a fastest-lap point (1958–1959), at `withoutFastestLap` (the scale, position 1 first).
   */
  | { kind: 'best-car'; withoutFastestLap: readonly number[] | null };

export interface ConstructorRules {
  scoring: ConstructorScoring;
  counting: Counting;
  /** Rounds that did not count for constructors (the Indianapolis 500, 1958–1960). */
  excludedRounds: readonly number[];
}

export type StandingsTable = 'drivers' | 'constructors';

export type Adjustment =
  /**
   * Excluded from the table in the tables from `fromRound` on: listed last with `D` (drivers) or `E`
   * (constructors); `forfeitsPoints` shows 0 championship points (gross points still show what was scored).
   */
  | {
      kind: 'excluded';
      table: StandingsTable;
      id: string;
      fromRound: number;
      forfeitsPoints: boolean;
      source: string;
    }
  /** Points added (positive) or deducted (negative) from `fromRound` on. */
  | {
      kind: 'penalty';
      table: StandingsTable;
      id: string;
      fromRound: number;
      points: number;
      source: string;
    }
  /** A new entrant under the same id from `fromRound`: earlier results no longer count for it. */
  | { kind: 'new-entrant'; table: StandingsTable; id: string; fromRound: number; source: string };

export interface SeasonRules {
  season: number;
  drivers: { counting: Counting };
  /** Null: no constructors' championship that season (before 1958). */
  constructors: ConstructorRules | null;
  adjustments: readonly Adjustment[];
}
