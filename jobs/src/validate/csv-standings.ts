/**
 * The official standings after the last round of every season, read from an Ergast CSV export's
 * `driver_standings.csv` / `constructor_standings.csv` (the oracle for `validate` on imported history).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StandingRow } from '@f1/db/standings/refresh';
import { type CsvRecord, readCsvFile } from '../sources/csv-export/parse-csv.ts';

export interface OfficialSeason {
  season: number;
  round: number;
  drivers: StandingRow[];
  constructors: StandingRow[];
}

function refMap(rows: CsvRecord[], id: string, ref: string): Map<string, string> {
  return new Map(rows.flatMap((r) => (r[id] && r[ref] ? [[r[id], r[ref]] as const] : [])));
}

/** Final standings per season; seasons listed in `seasons` only, when given. */
export function readCsvFinalStandings(
  dir: string,
  seasons?: number[],
): Map<number, OfficialSeason> {
  const wanted = seasons ? new Set(seasons) : null;
  const read = (name: string) => readCsvFile(path.join(dir, name));
  const races = new Map<string, { season: number; round: number }>();
  for (const r of read('races.csv')) {
    const season = Number(r.year);
    if (r.raceId && (!wanted || wanted.has(season)))
      races.set(r.raceId, { season, round: Number(r.round) });
  }
  const drivers = refMap(read('drivers.csv'), 'driverId', 'driverRef');
  const teams = refMap(read('constructors.csv'), 'constructorId', 'constructorRef');
  const out = new Map<number, OfficialSeason>();

  const load = (
    file: string,
    idColumn: string,
    refs: Map<string, string>,
    kind: 'drivers' | 'constructors',
  ) => {
    if (!existsSync(path.join(dir, file))) return;
    const rows = read(file);
    const lastRound = new Map<number, number>();
    for (const r of rows) {
      const race = r.raceId ? races.get(r.raceId) : undefined;
      if (race) lastRound.set(race.season, Math.max(lastRound.get(race.season) ?? 0, race.round));
    }
    for (const r of rows) {
      const race = r.raceId ? races.get(r.raceId) : undefined;
      const ref = r[idColumn] ? refs.get(r[idColumn] ?? '') : undefined;
      if (!race || !ref || lastRound.get(race.season) !== race.round) continue;
      const season = out.get(race.season) ?? {
        season: race.season,
        round: race.round,
        drivers: [],
        constructors: [],
      };
      season.round = Math.max(season.round, race.round);
      season[kind].push({
        ref,
        position: Number(r.position),
        points: Number(r.points),
        wins: Number(r.wins),
      });
      out.set(race.season, season);
    }
  };
  load('driver_standings.csv', 'driverId', drivers, 'drivers');
  load('constructor_standings.csv', 'constructorId', teams, 'constructors');
  for (const season of out.values()) {
    season.drivers.sort((a, b) => a.position - b.position);
    season.constructors.sort((a, b) => a.position - b.position);
  }
  return out;
}
