/**
 * An Ergast CSV export folder (or several, layered) as a `Source`: the whole read is ONE dataset,
 * written in one transaction (all or nothing). Later folders win over earlier ones for the same race
 * or ref, so `[ergast-csv, ergast-csv-2025]` layers the 2025 extension over the 1950–2024 export; a race
 * a later folder has no rows for keeps the earlier folder's rows.
 */
import {
  ALL_PARTS,
  type Dataset,
  inScope,
  type Part,
  type Scope,
  type Source,
  type SourceRead,
  seasonInScope,
} from '../../ingestion/dataset.ts';
import { type ErgastExport, readErgastExport } from './read-export.ts';

/** Keeps, per key, the rows of the last export that has any: later exports override earlier ones. */
function layer<T>(exports: T[][], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T[]>();
  for (const rows of exports) {
    const fresh = new Map<string, T[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const group = fresh.get(key);
      if (group) group.push(row);
      else fresh.set(key, [row]);
    }
    for (const [key, group] of fresh) byKey.set(key, group);
  }
  return [...byKey.values()].flat();
}

/** The exports merged into one dataset of `scope` (only the races inside it). */
export function exportDataset(
  exports: ErgastExport[],
  scope: Scope,
  parts: readonly Part[] = ALL_PARTS,
): Dataset {
  const race = (r: { season: number; round: number }) => `${r.season}:${r.round}`;
  const perRace = <T extends { season: number; round: number }>(
    pick: (e: ErgastExport) => T[],
  ): T[] =>
    layer(
      exports.map((e) => pick(e).filter((r) => inScope(scope, r.season, r.round))),
      race,
    );
  const want = new Set(parts);
  // An export without the file says nothing about laps or pit stops: the dataset leaves them out.
  const timing = <T extends { season: number; round: number }>(
    part: Part,
    pick: (e: ErgastExport) => T[] | undefined,
  ) =>
    want.has(part) && exports.some((e) => pick(e) !== undefined)
      ? perRace((e) => pick(e) ?? [])
      : undefined;
  // Later exports win for an id; a text listed under two ids keeps the later one.
  const statuses = [
    ...new Map(
      layer(
        exports.map((e) => e.statuses),
        (s) => String(s.id),
      ).map((s) => [s.status, s]),
    ).values(),
  ];
  return {
    circuits: layer(
      exports.map((e) => e.circuits),
      (c) => c.circuit_ref,
    ),
    teams: layer(
      exports.map((e) => e.teams),
      (t) => t.team_ref,
    ),
    drivers: layer(
      exports.map((e) => e.drivers),
      (d) => d.driver_ref,
    ),
    // A season the export has races but no `seasons.csv` row for is left out (the facade omits its url).
    seasons: layer(
      exports.map((e) => e.seasons.filter((s) => seasonInScope(scope, s.year))),
      (s) => String(s.year),
    ),
    races: perRace((e) => e.races),
    sessions: want.has('schedule') ? perRace((e) => e.sessions) : undefined,
    results: want.has('results') ? perRace((e) => e.results) : undefined,
    sprint: want.has('sprint') ? perRace((e) => e.sprintResults) : undefined,
    qualifying: want.has('qualifying') ? perRace((e) => e.qualifying) : undefined,
    laps: timing('laps', (e) => e.laps),
    pitStops: timing('pitstops', (e) => e.pitStops),
    statuses,
  };
}

const seasonsOf = (scope: Scope) =>
  scope.kind === 'all' ? scope.seasons && [...scope.seasons] : [scope.season];

export class ErgastCsvSource implements Source {
  readonly name = 'ergast-csv';
  constructor(readonly dirs: readonly string[]) {
    if (dirs.length === 0) throw new Error('import-csv: no export folder given');
  }

  async read(request: { scope: Scope; parts?: readonly Part[] }): Promise<SourceRead> {
    const seasons = seasonsOf(request.scope);
    const exports = this.dirs.map((dir) => readErgastExport(dir, { seasons }));
    const dataset = exportDataset(exports, request.scope, request.parts);
    return { datasets: [{ scope: request.scope, dataset }], failures: [] };
  }
}
