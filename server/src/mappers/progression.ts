/**
 * Folds the stored standings of every round (ordered by round, then position) into one series per
 * competitor, aligned with the season's rounds: the shape a line chart of the championship needs.
 */
import type { ProgressionRow, SeasonRound } from '@f1/db/standings/progression';

export interface ProgressionSeries {
  id: string;
  name: string;
  code: string | null;
  points: (number | null)[];
  positions: (number | null)[];
  wins: (number | null)[];
  droppedPoints: (number | null)[];
  droppedRounds: number[][];
}

/** One series per competitor, leader (after the last round) first. */
export function progressionSeries(
  rounds: readonly SeasonRound[],
  rows: readonly ProgressionRow[],
): ProgressionSeries[] {
  const index = new Map(rounds.map((r, i) => [r.round, i]));
  const empty = () => rounds.map(() => null);
  const byId = new Map<string, ProgressionSeries>();
  for (const row of rows) {
    const at = index.get(row.round);
    if (at === undefined) continue;
    let series = byId.get(row.ref);
    if (!series) {
      series = {
        id: row.ref,
        name: row.name,
        code: row.code,
        points: empty(),
        positions: empty(),
        wins: empty(),
        droppedPoints: empty(),
        droppedRounds: rounds.map(() => []),
      };
      byId.set(row.ref, series);
    }
    series.points[at] = row.points;
    series.positions[at] = row.position;
    series.wins[at] = row.wins;
    series.droppedPoints[at] = row.dropped_points;
    series.droppedRounds[at] = row.dropped_rounds;
  }
  const last = (s: ProgressionSeries) => s.positions.findLast((p) => p !== null) ?? Infinity;
  return [...byId.values()].sort((a, b) => last(a) - last(b) || a.id.localeCompare(b.id));
}
