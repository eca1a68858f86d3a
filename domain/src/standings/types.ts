/**
 * The shapes the standings engine reads and writes: a season's results round by round (in, with the
 * official points each entry scored) and the drivers' and constructors' tables after every round (out).
 * Competitors are named by their public ref (`senna`, `mclaren`), as the rules table names them.
 */

/** One classified or unclassified entry of a race or sprint, as the results source records it. */
export interface ResultEntry {
  driver: string;
  /** Null when the source names no constructor: the entry then scores for the driver only. */
  constructor: string | null;
  /** Car number: rows of one constructor with the same number are one car (shared drives). */
  car: string | null;
  /** Points this entry scored in this race (shared-drive splits, half points and bonus points included). */
  points: number;
  /** Classified finishing position; null when not classified (retired, disqualified, …). */
  position: number | null;
  /** Order of the classification, unclassified entries included. */
  positionOrder: number;
}

export interface RoundResults {
  round: number;
  race: readonly ResultEntry[];
  sprint: readonly ResultEntry[];
}

export type PositionText = `${number}` | 'D' | 'E';

/** One competitor's line in a table after a round. */
export interface StandingRow {
  id: string;
  /** 1-based; competitors level on everything share it (`tied`); excluded competitors come last. */
  position: number;
  /** The position as text, or `D` (excluded from the drivers' table) / `E` (from the constructors'). */
  positionText: PositionText;
  /** Championship points: counted results plus adjustments (0 when excluded with points forfeited). */
  points: number;
  /** Every point scored in the season's races and sprints so far, dropped results included. */
  grossPoints: number;
  /** Points of the results the best-N rule did not count. */
  droppedPoints: number;
  /** Rounds whose result did not count (best-N), in round order; a round twice for two shared drives. */
  droppedRounds: number[];
  /** Points added or removed by adjustments (penalties); 0 for most. */
  adjustmentPoints: number;
  wins: number;
  /** Level with another competitor on points and on every counted finishing position. */
  tied: boolean;
}

export interface RoundStandings {
  round: number;
  drivers: StandingRow[];
  /** Null when the season has no constructors' championship (before 1958). */
  constructors: StandingRow[] | null;
}
