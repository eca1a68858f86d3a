/**
 * What the season's adjustments (rules.ts) mean for one competitor after one round: the first round
 * whose results still count for it (a new entrant under the same id), penalty points, and an exclusion.
 */
import type { Adjustment, StandingsTable } from './rules-types.ts';

export interface CompetitorAdjustments {
  /** Results before this round no longer count (1 for most). */
  countsFromRound: number;
  /** Sum of the penalties in force (negative for deductions). */
  points: number;
  /** Excluded from the table, and whether the points are forfeited. */
  exclusion: { forfeitsPoints: boolean } | null;
}

const NONE: CompetitorAdjustments = { countsFromRound: 1, points: 0, exclusion: null };

/** The adjustments of `table` in force for `id` after `round`. */
export function adjustmentsFor(
  adjustments: readonly Adjustment[],
  where: { table: StandingsTable; id: string; round: number },
): CompetitorAdjustments {
  let result = NONE;
  for (const a of adjustments) {
    if (a.table !== where.table || a.id !== where.id || a.fromRound > where.round) continue;
    if (a.kind === 'new-entrant') {
      result = { ...result, countsFromRound: Math.max(result.countsFromRound, a.fromRound) };
    } else if (a.kind === 'penalty') {
      result = { ...result, points: result.points + a.points };
    } else {
      result = { ...result, exclusion: { forfeitsPoints: a.forfeitsPoints } };
    }
  }
  return result;
}
