/**
 * Test-only: reads the shared Ergast export (1950–2024 plus the 2025 extension) into the engine's input,
 * season by season, together with the export's official tables after every round (the oracle).
 * Tests may import jobs' CSV reader; production domain code must not. The comparison is ./compare.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OfficialRow } from '@f1/domain/standings/compare';
import type { ResultEntry, RoundResults } from '@f1/domain/standings/types';
import { type CsvRecord, readCsvFile } from '@f1/jobs/sources/csv-export/parse-csv';

export interface OfficialRound {
  round: number;
  raceName: string;
  drivers: OfficialRow[];
  constructors: OfficialRow[];
}

export interface ExportSeason {
  season: number;
  rounds: RoundResults[];
  official: OfficialRound[];
}

const text = (record: CsvRecord, field: string): string => {
  const value = record[field];
  if (value === null || value === undefined) throw new Error(`missing ${field}`);
  return value;
};
const num = (record: CsvRecord, field: string): number => Number(text(record, field));
const optionalNum = (record: CsvRecord, field: string): number | null => {
  const value = record[field];
  return value === null || value === undefined ? null : Number(value);
};

/** The export's dirs under `dataDir` that exist (ergast-csv, then ergast-csv-2025). */
function exportDirs(dataDir: string): string[] {
  return ['ergast-csv', 'ergast-csv-2025']
    .map((name) => path.join(dataDir, name))
    .filter((dir) => existsSync(path.join(dir, 'races.csv')));
}

/** Every season of the export, rounds in order. */
export function readExportSeasons(dataDir: string): ExportSeason[] {
  const seasons = new Map<number, ExportSeason>();
  for (const dir of exportDirs(dataDir)) readDir(dir, seasons);
  return [...seasons.values()].sort((a, b) => a.season - b.season);
}

function readDir(dir: string, seasons: Map<number, ExportSeason>): void {
  const file = (name: string) => readCsvFile(path.join(dir, name));
  const driverRef = new Map(
    file('drivers.csv').map((r) => [text(r, 'driverId'), text(r, 'driverRef')]),
  );
  const constructorRef = new Map(
    file('constructors.csv').map((r) => [text(r, 'constructorId'), text(r, 'constructorRef')]),
  );
  const byRace = new Map<
    string,
    { race: ResultEntry[]; sprint: ResultEntry[]; official: OfficialRound }
  >();
  const races = file('races.csv').sort((a, b) => num(a, 'year') - num(b, 'year'));
  for (const race of races) {
    const season = num(race, 'year');
    let entry = seasons.get(season);
    if (!entry) {
      entry = { season, rounds: [], official: [] };
      seasons.set(season, entry);
    }
    const round = num(race, 'round');
    const results = { round, race: [] as ResultEntry[], sprint: [] as ResultEntry[] };
    const official: OfficialRound = {
      round,
      raceName: text(race, 'name'),
      drivers: [],
      constructors: [],
    };
    byRace.set(text(race, 'raceId'), { race: results.race, sprint: results.sprint, official });
    entry.rounds.push(results);
    entry.official.push(official);
  }
  const entryOf = (r: CsvRecord): ResultEntry => ({
    driver: driverRef.get(text(r, 'driverId')) ?? text(r, 'driverId'),
    constructor: constructorRef.get(text(r, 'constructorId')) ?? text(r, 'constructorId'),
    car: r.number ?? null,
    points: num(r, 'points'),
    position: optionalNum(r, 'position'),
    positionOrder: num(r, 'positionOrder'),
  });
  for (const r of file('results.csv')) byRace.get(text(r, 'raceId'))?.race.push(entryOf(r));
  for (const r of file('sprint_results.csv')) {
    byRace.get(text(r, 'raceId'))?.sprint.push(entryOf(r));
  }
  const officialOf = (r: CsvRecord, id: string): OfficialRow => ({
    id,
    points: num(r, 'points'),
    position: optionalNum(r, 'position'),
    positionText: text(r, 'positionText'),
    wins: num(r, 'wins'),
  });
  for (const r of file('driver_standings.csv')) {
    const id = driverRef.get(text(r, 'driverId')) ?? text(r, 'driverId');
    byRace.get(text(r, 'raceId'))?.official.drivers.push(officialOf(r, id));
  }
  for (const r of file('constructor_standings.csv')) {
    const id = constructorRef.get(text(r, 'constructorId')) ?? text(r, 'constructorId');
    byRace.get(text(r, 'raceId'))?.official.constructors.push(officialOf(r, id));
  }
  for (const season of seasons.values()) {
    // Rounds of the calendar not raced yet (the 2025 extension lists all 24) are left out.
    const raced = new Set(season.rounds.filter((r) => r.race.length > 0).map((r) => r.round));
    season.rounds = season.rounds
      .filter((r) => raced.has(r.round))
      .sort((a, b) => a.round - b.round);
    season.official = season.official
      .filter((r) => raced.has(r.round))
      .sort((a, b) => a.round - b.round);
  }
}
