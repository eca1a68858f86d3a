/**
 * Compares our computed standings with official ones (the source's standings endpoint or the CSV
 * export's `driver_standings.csv`) and lists every difference: a competitor missing on either side, or
 * different points, position or wins.
 */
import type { StandingRow } from '@f1/db/standings/refresh';

export type StandingsKind = 'drivers' | 'constructors';

export interface StandingDifference {
  kind: StandingsKind;
  ref: string;
  field: 'missing' | 'unexpected' | 'points' | 'position' | 'wins';
  ours: number | null;
  official: number | null;
}

/** Points are compared to the cent (numeric(6,2) on our side, strings like "12.5" on theirs). */
const samePoints = (a: number, b: number) => Math.abs(a - b) < 0.005;

export function compareStandings(
  kind: StandingsKind,
  ours: StandingRow[],
  official: StandingRow[],
): StandingDifference[] {
  const differences: StandingDifference[] = [];
  const mine = new Map(ours.map((row) => [row.ref, row]));
  for (const theirs of official) {
    const row = mine.get(theirs.ref);
    if (!row) {
      differences.push({
        kind,
        ref: theirs.ref,
        field: 'missing',
        ours: null,
        official: theirs.position,
      });
      continue;
    }
    mine.delete(theirs.ref);
    if (!samePoints(row.points, theirs.points)) {
      differences.push({
        kind,
        ref: theirs.ref,
        field: 'points',
        ours: row.points,
        official: theirs.points,
      });
    }
    if (row.position !== theirs.position) {
      differences.push({
        kind,
        ref: theirs.ref,
        field: 'position',
        ours: row.position,
        official: theirs.position,
      });
    }
    if (row.wins !== theirs.wins) {
      differences.push({
        kind,
        ref: theirs.ref,
        field: 'wins',
        ours: row.wins,
        official: theirs.wins,
      });
    }
  }
  for (const row of mine.values()) {
    differences.push({
      kind,
      ref: row.ref,
      field: 'unexpected',
      ours: row.position,
      official: null,
    });
  }
  return differences;
}

export function formatDifference(season: number, d: StandingDifference): string {
  const who = `${season} ${d.kind} ${d.ref}`;
  if (d.field === 'missing')
    return `${who}: in the official standings (P${d.official}) but not in ours`;
  if (d.field === 'unexpected')
    return `${who}: in our standings (P${d.ours}) but not in the official ones`;
  return `${who}: ${d.field} ours ${d.ours}, official ${d.official}`;
}
