/**
 * Compares a computed standings table with an official one (the source's standings endpoints or the
 * export's `driver_standings.csv` / `constructor_standings.csv`) and tells which differences are the
 * documented source inconsistencies: the every-round tests and `ingest validate` share it.
 */
import type { StandingsTable } from './rules-types.ts';
import { SOURCE_INCONSISTENCIES } from './source-inconsistencies.ts';
import type { StandingRow } from './types.ts';

/** A row of an official table. */
export interface OfficialRow {
  id: string;
  points: number;
  /** Null where the 2025 extension gives zero-point drivers no position (`-`). */
  position: number | null;
  positionText: string;
  wins: number;
}

/** What the comparison reads of our rows: the engine's rows, or the stored ones (text positions). */
export type ComparedRow = Pick<
  StandingRow,
  'id' | 'position' | 'points' | 'grossPoints' | 'wins' | 'tied'
> & { positionText: string };

export interface RoundDifference {
  season: number;
  round: number;
  table: StandingsTable;
  id: string;
  what: string;
}

/**
 * How `ours` differs from the official table of one round: points, wins and `D`/`E` for every official
 * row, positions for every row not flagged as fully tied and not on zero points in both (the export
 * lists some zero-point competitors and not others — 992 DNQ rows listed, 33 not — and orders them
 * in no consistent way). A competitor we list with points that the official table omits is a
 * difference; one on zero points is not. An excluded row must come last in both tables; an `E` row with
 * forfeited points is compared on its gross points (the export shows the points scored).
 */
export function compareTable(
  ours: readonly ComparedRow[],
  official: readonly OfficialRow[],
  where: Omit<RoundDifference, 'id' | 'what'>,
): RoundDifference[] {
  const differences: RoundDifference[] = [];
  const byId = new Map(ours.map((row) => [row.id, row]));
  const add = (id: string, what: string) => differences.push({ ...where, id, what });
  for (const want of official) {
    const got = byId.get(want.id);
    if (!got) {
      add(want.id, `missing (official ${want.points} points, P${want.position})`);
      continue;
    }
    const points =
      want.positionText === 'E' && got.positionText === 'E' ? got.grossPoints : got.points;
    if (points !== want.points) add(want.id, `points ${points}, official ${want.points}`);
    if (got.wins !== want.wins) add(want.id, `wins ${got.wins}, official ${want.wins}`);
    const excluded = (t: string) => t === 'D' || t === 'E';
    if (excluded(want.positionText) || excluded(got.positionText)) {
      if (got.positionText !== want.positionText) {
        add(want.id, `positionText ${got.positionText}, official ${want.positionText}`);
      }
    }
    if (excluded(want.positionText)) {
      // No championship position: it must come last in both tables.
      if (
        got !== ours.at(-1) ||
        want !== official.reduce((a, b) => ((b.position ?? 0) > (a.position ?? 0) ? b : a))
      ) {
        add(want.id, 'excluded but not listed last');
      }
    } else if (
      !got.tied &&
      want.position !== null &&
      got.position !== want.position &&
      want.points + got.points > 0
    ) {
      add(want.id, `position ${got.position}, official ${want.position}`);
    }
  }
  const listed = new Set(official.map((row) => row.id));
  for (const row of ours) {
    if (!listed.has(row.id) && row.points !== 0) add(row.id, `${row.points} points, not listed`);
  }
  return differences;
}

/** Whether `difference` is one of the documented source inconsistencies (SOURCE_INCONSISTENCIES). */
export function isSourceInconsistency(difference: RoundDifference): boolean {
  return SOURCE_INCONSISTENCIES.some(
    (s) =>
      s.season === difference.season &&
      s.table === difference.table &&
      s.rounds.includes(difference.round) &&
      s.ids.includes(difference.id),
  );
}
