/**
 * Orders a table: most points first, ties broken by countback (compare the counted race finishing
 * positions best first: most wins, then most second places, …; a further finish beats none). Rows level
 * on both share a position and are flagged `tied`; excluded rows come last, marked `D` or `E`.
 */
import type { PositionText, StandingRow } from './types.ts';

export interface UnrankedRow extends Omit<StandingRow, 'position' | 'positionText' | 'tied'> {
  /** Counted classified race positions, any order. */
  countback: number[];
  excluded: boolean;
}

/** Negative when `a` (ascending positions) wins the countback against `b`. */
export function compareCountback(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return b.length - a.length;
}

interface Keyed {
  row: UnrankedRow;
  countback: number[];
}

const compare = (a: Keyed, b: Keyed) =>
  b.row.points - a.row.points || compareCountback(a.countback, b.countback);

/** The ranked table. `excludedText` marks excluded rows (`D` for drivers, `E` for constructors). */
export function rankRows(rows: readonly UnrankedRow[], excludedText: 'D' | 'E'): StandingRow[] {
  const keyed = rows.map((row) => ({
    row,
    countback: [...row.countback].sort((a, b) => a - b),
  }));
  const ranked = keyed
    .filter((k) => !k.row.excluded)
    .sort((a, b) => compare(a, b) || a.row.id.localeCompare(b.row.id));
  const excluded = keyed
    .filter((k) => k.row.excluded)
    .sort((a, b) => compare(a, b) || a.row.id.localeCompare(b.row.id));
  const table: StandingRow[] = [];
  ranked.forEach((k, index) => {
    const previous = ranked[index - 1];
    const next = ranked[index + 1];
    const levelWithPrevious = previous !== undefined && compare(previous, k) === 0;
    const levelWithNext = next !== undefined && compare(k, next) === 0;
    const position = levelWithPrevious ? (table[index - 1]?.position ?? index + 1) : index + 1;
    table.push(toRow(k.row, position, `${position}`, levelWithPrevious || levelWithNext));
  });
  for (const k of excluded) {
    table.push(toRow(k.row, table.length + 1, excludedText, false));
  }
  return table;
}

function toRow(
  row: UnrankedRow,
  position: number,
  positionText: PositionText,
  tied: boolean,
): StandingRow {
  const { countback: _countback, excluded: _excluded, ...rest } = row;
  return { ...rest, position, positionText, tied };
}
