/**
 * The official drivers' and constructors' tables after EVERY round, read from an Ergast CSV export's
 * `driver_standings.csv` / `constructor_standings.csv` (the oracle `validate` compares every round with).
 * Rounds of the calendar with no standings (not raced yet) are left out.
 */
import path from 'node:path';
import type { OfficialRow } from '@f1/domain/standings/compare';
import {
  type CsvRecord,
  readCsvFile,
  readCsvRecordsIfExists,
} from '../sources/csv-export/parse-csv.ts';

export interface OfficialRound {
  round: number;
  drivers: OfficialRow[];
  constructors: OfficialRow[];
}

function refMap(rows: CsvRecord[], id: string, ref: string): Map<string, string> {
  return new Map(rows.flatMap((r) => (r[id] && r[ref] ? [[r[id], r[ref]] as const] : [])));
}

const officialRow = (r: CsvRecord, id: string): OfficialRow => ({
  id,
  points: Number(r.points),
  position: r.position ? Number(r.position) : null,
  positionText: r.positionText ?? '',
  wins: Number(r.wins),
});

/** Every round's official tables per season (seasons listed in `seasons` only, when given). */
export function readCsvOfficialTables(
  dir: string,
  seasons?: readonly number[],
): Map<number, OfficialRound[]> {
  const wanted = seasons ? new Set(seasons) : null;
  const races = new Map<string, { season: number; round: number }>();
  for (const r of readCsvFile(path.join(dir, 'races.csv'))) {
    const season = Number(r.year);
    if (r.raceId && (!wanted || wanted.has(season))) {
      races.set(r.raceId, { season, round: Number(r.round) });
    }
  }
  const drivers = refMap(readCsvFile(path.join(dir, 'drivers.csv')), 'driverId', 'driverRef');
  const teams = refMap(
    readCsvFile(path.join(dir, 'constructors.csv')),
    'constructorId',
    'constructorRef',
  );
  const bySeason = new Map<number, Map<number, OfficialRound>>();
  const load = (file: string, idColumn: string, refs: Map<string, string>, kind: keyof Tables) => {
    for (const r of readCsvRecordsIfExists(path.join(dir, file))) {
      const race = r.raceId ? races.get(r.raceId) : undefined;
      const ref = refs.get(r[idColumn] ?? '');
      if (!race || !ref) continue;
      const rounds = bySeason.get(race.season) ?? new Map<number, OfficialRound>();
      bySeason.set(race.season, rounds);
      const round = rounds.get(race.round) ?? { round: race.round, drivers: [], constructors: [] };
      rounds.set(race.round, round);
      round[kind].push(officialRow(r, ref));
    }
  };
  load('driver_standings.csv', 'driverId', drivers, 'drivers');
  load('constructor_standings.csv', 'constructorId', teams, 'constructors');
  const byPosition = (a: OfficialRow, b: OfficialRow) =>
    (a.position ?? Infinity) - (b.position ?? Infinity);
  const out = new Map<number, OfficialRound[]>();
  for (const [season, rounds] of [...bySeason].sort((a, b) => a[0] - b[0])) {
    const list = [...rounds.values()].sort((a, b) => a.round - b.round);
    for (const round of list) {
      round.drivers.sort(byPosition);
      round.constructors.sort(byPosition);
    }
    out.set(season, list);
  }
  return out;
}

type Tables = Pick<OfficialRound, 'drivers' | 'constructors'>;
