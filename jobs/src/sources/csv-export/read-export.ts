/**
 * Reads the classic Ergast CSV export (`races.csv`, `results.csv`, … with numeric surrogate ids and
 * `*Ref` string ids) into source-neutral records keyed by the public refs (`max_verstappen`, `red_bull`),
 * ready to be given database ids by the writer. The export's numeric ids never reach the database:
 * they differ between exports (the 2025 extension reuses them, others may not).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CircuitWrite, DriverWrite, SeasonWrite, TeamWrite } from '@f1/db/ingestion/writes';
import type { SessionKind } from '@f1/db/schema';
import {
  type LapRecord,
  numberEntries,
  type PitStopRecord,
  type QualifyingRecord,
  type RaceRecord,
  type ResultRecord,
  type SessionRecord,
  type SprintRecord,
  type StatusRecord,
} from '../../ingestion/dataset.ts';
import { lapTimeMillis } from '../lap-time.ts';
import { type CsvRecord, readCsvFile } from './parse-csv.ts';

export interface ErgastExport {
  dir: string;
  circuits: CircuitWrite[];
  teams: TeamWrite[];
  drivers: DriverWrite[];
  /** `seasons.csv` (`year,url`); empty when the export has no such file (the 2025 extension). */
  seasons: SeasonWrite[];
  races: RaceRecord[];
  sessions: SessionRecord[];
  results: ResultRecord[];
  sprintResults: SprintRecord[];
  qualifying: QualifyingRecord[];
  statuses: StatusRecord[];
  /** Absent when the folder has no `lap_times.csv` (not "no laps"). */
  laps?: LapRecord[];
  /** Absent when the folder has no `pit_stops.csv`. */
  pitStops?: PitStopRecord[];
}

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

function fail(file: string, line: number, field: string, problem: string): never {
  throw new CsvFormatError(`${file} line ${line + 2}: ${field} ${problem}`);
}

/** Typed cell readers that name the file, line and column of a bad value. */
function cells(file: string, record: CsvRecord, line: number) {
  const text = (field: string): string | null => record[field] ?? null;
  const required = (field: string): string => text(field) ?? fail(file, line, field, 'is missing');
  const num = (field: string): number | null => {
    const value = text(field);
    if (value === null) return null;
    const parsed = Number(value);
    return Number.isFinite(parsed)
      ? parsed
      : fail(file, line, field, `is not a number: "${value}"`);
  };
  const int = (field: string): number | null => {
    const value = num(field);
    return value === null || Number.isInteger(value)
      ? value
      : fail(file, line, field, `is not an integer: "${value}"`);
  };
  const requiredInt = (field: string): number =>
    int(field) ?? fail(file, line, field, 'is missing');
  const millis = (field: string): number | null => {
    const value = text(field);
    if (value === null) return null;
    return lapTimeMillis(value) ?? fail(file, line, field, `is not a lap time: "${value}"`);
  };
  return { text, required, num, int, requiredInt, millis };
}

function lookup<T>(map: Map<string, T>, id: string, what: string, where: string): T {
  const value = map.get(id);
  if (value === undefined) throw new CsvFormatError(`${where}: unknown ${what} ${id}`);
  return value;
}

const instant = (date: string | null, time: string | null): string | null =>
  date && time ? `${date}T${time}Z` : null;

const SESSION_COLUMNS: [SessionKind, string][] = [
  ['fp1', 'fp1'],
  ['fp2', 'fp2'],
  ['fp3', 'fp3'],
  ['qualifying', 'quali'],
  ['sprint', 'sprint'],
];

/**
 * Reads an export folder. `seasons` keeps only those seasons' races, results and `seasons.csv` rows
 * (reference tables are always read whole: they are small).
 */
/** Whether `dir` looks like an Ergast CSV export (it has `races.csv`). */
export const isErgastExport = (dir: string): boolean => existsSync(path.join(dir, 'races.csv'));

export function readErgastExport(dir: string, options: { seasons?: number[] } = {}): ErgastExport {
  if (!isErgastExport(dir)) {
    throw new CsvFormatError(`${dir} is not an Ergast CSV export (no races.csv)`);
  }
  const wanted = options.seasons ? new Set(options.seasons) : null;
  const read = (name: string) => ({ name, rows: readCsvFile(path.join(dir, name)) });
  const optional = (name: string) =>
    existsSync(path.join(dir, name)) ? read(name) : { name, rows: [] };

  const circuitRefs = new Map<string, string>();
  const circuits = read('circuits.csv').rows.map((r, i): CircuitWrite => {
    const c = cells('circuits.csv', r, i);
    circuitRefs.set(c.required('circuitId'), c.required('circuitRef'));
    return {
      circuit_ref: c.required('circuitRef'),
      name: c.required('name'),
      locality: c.text('location'),
      country: c.text('country'),
      latitude: c.num('lat'),
      longitude: c.num('lng'),
      altitude_m: c.int('alt'),
      url: c.text('url'),
    };
  });
  const teamRefs = new Map<string, string>();
  const teams = read('constructors.csv').rows.map((r, i): TeamWrite => {
    const c = cells('constructors.csv', r, i);
    teamRefs.set(c.required('constructorId'), c.required('constructorRef'));
    return {
      team_ref: c.required('constructorRef'),
      name: c.required('name'),
      nationality: c.text('nationality'),
      url: c.text('url'),
    };
  });
  const driverRefs = new Map<string, string>();
  const drivers = read('drivers.csv').rows.map((r, i): DriverWrite => {
    const c = cells('drivers.csv', r, i);
    driverRefs.set(c.required('driverId'), c.required('driverRef'));
    return {
      driver_ref: c.required('driverRef'),
      permanent_number: c.int('number'),
      code: c.text('code'),
      given_name: c.text('forename') ?? '',
      family_name: c.required('surname'),
      date_of_birth: c.text('dob'),
      nationality: c.text('nationality'),
      url: c.text('url'),
    };
  });
  const statuses = new Map(
    read('status.csv').rows.map((r, i) => {
      const c = cells('status.csv', r, i);
      return [c.required('statusId'), c.required('status')] as const;
    }),
  );

  const seasons = optional('seasons.csv').rows.flatMap((r, i): SeasonWrite[] => {
    const c = cells('seasons.csv', r, i);
    const year = c.requiredInt('year');
    return wanted && !wanted.has(year) ? [] : [{ year, url: c.text('url') }];
  });

  const raceOf = new Map<string, { season: number; round: number }>();
  const races: RaceRecord[] = [];
  const sessions: SessionRecord[] = [];
  read('races.csv').rows.forEach((r, i) => {
    const c = cells('races.csv', r, i);
    const season = c.requiredInt('year');
    if (wanted && !wanted.has(season)) return;
    const round = c.requiredInt('round');
    raceOf.set(c.required('raceId'), { season, round });
    const date = c.required('date');
    races.push({
      season,
      round,
      circuitRef: lookup(
        circuitRefs,
        c.required('circuitId'),
        'circuitId',
        `races.csv line ${i + 2}`,
      ),
      name: c.required('name'),
      date,
      starts_at: instant(date, c.text('time')),
      url: c.text('url'),
    });
    for (const [kind, prefix] of SESSION_COLUMNS) {
      const day = c.text(`${prefix}_date`);
      if (day)
        sessions.push({
          season,
          round,
          kind,
          date: day,
          starts_at: instant(day, c.text(`${prefix}_time`)),
        });
    }
  });

  /** Shared result columns; `null` when the row belongs to a season that was not asked for. */
  const base = (file: string, r: CsvRecord, i: number) => {
    const c = cells(file, r, i);
    const race = raceOf.get(c.required('raceId'));
    if (!race) return null;
    const where = `${file} line ${i + 2}`;
    const constructorId = c.text('constructorId');
    return {
      c,
      row: {
        season: race.season,
        round: race.round,
        driverRef: lookup(driverRefs, c.required('driverId'), 'driverId', where),
        teamRef: constructorId ? lookup(teamRefs, constructorId, 'constructorId', where) : null,
        number: c.int('number'),
      },
      where,
    };
  };
  const resultColumns = (file: string, r: CsvRecord, i: number) => {
    const b = base(file, r, i);
    if (!b) return null;
    const { c, row, where } = b;
    const statusId = c.text('statusId');
    return {
      c,
      row: {
        ...row,
        grid: c.int('grid'),
        position: c.int('position'),
        position_order: c.requiredInt('positionOrder'),
        position_text: c.required('positionText'),
        points: c.num('points') ?? 0,
        laps: c.int('laps'),
        time_millis: c.int('milliseconds'),
        time_text: c.text('time'),
        fastest_lap: c.int('fastestLap'),
        fastest_lap_millis: c.millis('fastestLapTime'),
        status: statusId ? lookup(statuses, statusId, 'statusId', where) : null,
      },
    };
  };

  const results = numberEntries(
    read('results.csv').rows.flatMap((r, i): ResultRecord[] => {
      const x = resultColumns('results.csv', r, i);
      if (!x) return [];
      return [
        {
          ...x.row,
          entry: 1,
          // The export writes rank 0 for "no fastest lap"; the API omits it. Both become NULL.
          fastest_lap_rank: x.c.int('rank') || null,
          fastest_lap_speed_kph: x.c.num('fastestLapSpeed'),
        },
      ];
    }),
  );
  const sprintResults = optional('sprint_results.csv').rows.flatMap((r, i) => {
    const x = resultColumns('sprint_results.csv', r, i);
    return x ? [x.row] : [];
  });
  const qualifying = optional('qualifying.csv').rows.flatMap((r, i): QualifyingRecord[] => {
    const b = base('qualifying.csv', r, i);
    if (!b) return [];
    return [
      {
        ...b.row,
        position: b.c.requiredInt('position'),
        q1_millis: b.c.millis('q1'),
        q2_millis: b.c.millis('q2'),
        q3_millis: b.c.millis('q3'),
      },
    ];
  });
  const timing = (file: string, r: CsvRecord, i: number) => {
    const c = cells(file, r, i);
    const race = raceOf.get(c.required('raceId'));
    if (!race) return null;
    const where = `${file} line ${i + 2}`;
    return {
      c,
      row: {
        season: race.season,
        round: race.round,
        driverRef: lookup(driverRefs, c.required('driverId'), 'driverId', where),
      },
    };
  };
  const has = (name: string) => existsSync(path.join(dir, name));
  const laps = has('lap_times.csv')
    ? read('lap_times.csv').rows.flatMap((r, i): LapRecord[] => {
        const x = timing('lap_times.csv', r, i);
        if (!x) return [];
        return [
          {
            ...x.row,
            lap: x.c.requiredInt('lap'),
            position: x.c.int('position'),
            time_millis: x.c.int('milliseconds') ?? x.c.millis('time'),
          },
        ];
      })
    : undefined;
  const pitStops = has('pit_stops.csv')
    ? read('pit_stops.csv').rows.flatMap((r, i): PitStopRecord[] => {
        const x = timing('pit_stops.csv', r, i);
        if (!x) return [];
        return [
          {
            ...x.row,
            stop: x.c.requiredInt('stop'),
            lap: x.c.requiredInt('lap'),
            time_of_day: x.c.required('time'),
            duration_millis: x.c.int('milliseconds') ?? x.c.millis('duration'),
          },
        ];
      })
    : undefined;
  return {
    dir,
    circuits,
    teams,
    drivers,
    seasons,
    races,
    sessions,
    results,
    sprintResults,
    qualifying,
    statuses: [...statuses].map(([id, status]) => ({ id: Number(id), status })),
    laps,
    pitStops,
  };
}
