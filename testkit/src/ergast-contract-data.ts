/**
 * The database the Ergast facade's contract tests run on: the whole final export (1950–2024; not the
 * 2025 extension, which the recordings predate), its standings, the status vocabulary with the export's
 * ids, its pit stops (2011–2024) — each loaded here only when the CSV import has not (the import is
 * gaining them) — and the only lap timings we have: those inside the recorded `laps` answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clearDerivedPending, derivedPending } from '@f1/db/ingestion/derived-pending';
import type { DB } from '@f1/db/schema';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { readCsvFile } from '@f1/jobs/sources/csv-export/parse-csv';
import type { Kysely } from 'kysely';
import { sharedDataDir } from './shared-data.ts';

/**
 * The folders of recorded answers under `ergast-json/`: jolpica-f1's fixtures (the contract's), and
 * the per-season history recordings (2013–2024) the endpoint tests add.
 */
export type FixtureFolder = 'jolpica-fixtures' | 'jolpica-fixtures-history';

/** The recorded answers (`ergast-json/jolpica-fixtures/`, or another folder of them). */
export function fixturesDir(folder: FixtureFolder = 'jolpica-fixtures'): string {
  return path.join(sharedDataDir(), 'ergast-json', folder);
}

/** Every fixture file, relative to its folder (`laps/2023@1@laps.json`), sorted. */
export function fixtureFiles(folder?: FixtureFolder): string[] {
  const dir = fixturesDir(folder);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'PROVENANCE.tsv')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export function readFixture(file: string, folder?: FixtureFolder): unknown {
  return JSON.parse(readFileSync(path.join(fixturesDir(folder), file), 'utf8'));
}

export interface ContractDataReport {
  importMs: number;
  statusesSeeded: number;
  seasonsSeeded: number;
  pitStopsLoaded: number;
  lapTimesLoaded: number;
}

const CHUNK = 1_000;

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** `1:42.929` or `42.929` → milliseconds. */
export function lapTimeMillis(text: string): number {
  const match = /^(?:(\d+):)?(\d{1,2})\.(\d{3})$/.exec(text);
  if (!match) throw new Error(`not a lap time: ${text}`);
  return (Number(match[1] ?? 0) * 60 + Number(match[2])) * 1000 + Number(match[3]);
}

async function raceIds(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('races').select(['id', 'season', 'round']).execute();
  return new Map(rows.map((r) => [`${r.season}:${r.round}`, r.id]));
}

async function driverIds(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('drivers').select(['id', 'driver_ref']).execute();
  return new Map(rows.map((r) => [r.driver_ref, r.id]));
}

async function count(db: Kysely<DB>, table: 'statuses' | 'pit_stops' | 'lap_times' | 'seasons') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function seedStatuses(db: Kysely<DB>, csvDir: string): Promise<number> {
  if ((await count(db, 'statuses')) > 0) return 0;
  const rows = readCsvFile(path.join(csvDir, 'status.csv')).map((r) => ({
    id: Number(r.statusId),
    status: r.status ?? '',
  }));
  await inChunks(rows, (c) => db.insertInto('statuses').values(c).execute());
  return rows.length;
}

/** The season pages (`seasons.csv`), when the import has not filled them. */
async function seedSeasons(db: Kysely<DB>, csvDir: string): Promise<number> {
  if ((await count(db, 'seasons')) > 0) return 0;
  const rows = readCsvFile(path.join(csvDir, 'seasons.csv')).map((r) => ({
    year: Number(r.year),
    url: r.url ?? null,
  }));
  await inChunks(rows, (c) => db.insertInto('seasons').values(c).execute());
  return rows.length;
}

async function loadPitStops(db: Kysely<DB>, csvDir: string, seasons?: number[]): Promise<number> {
  if ((await count(db, 'pit_stops')) > 0) return 0;
  const races = await raceIds(db);
  const drivers = await driverIds(db);
  const csvRaces = new Map(
    readCsvFile(path.join(csvDir, 'races.csv')).map((r) => [
      r.raceId ?? '',
      { season: Number(r.year), key: `${r.year}:${r.round}` },
    ]),
  );
  const driverOf = new Map(
    readCsvFile(path.join(csvDir, 'drivers.csv')).map((r) => [
      r.driverId ?? '',
      drivers.get(r.driverRef ?? ''),
    ]),
  );
  const rows = readCsvFile(path.join(csvDir, 'pit_stops.csv')).flatMap((r) => {
    const race = csvRaces.get(r.raceId ?? '');
    if (race && seasons && !seasons.includes(race.season)) return [];
    const race_id = race && races.get(race.key);
    const driver_id = driverOf.get(r.driverId ?? '');
    if (race_id === undefined || driver_id === undefined)
      throw new Error(`pit_stops.csv: race ${r.raceId} or driver ${r.driverId} not imported`);
    return [
      {
        race_id,
        driver_id,
        stop: Number(r.stop),
        lap: Number(r.lap),
        time_of_day: r.time ?? '',
        duration_millis: r.milliseconds === null ? null : Number(r.milliseconds),
      },
    ];
  });
  await inChunks(rows, (c) => db.insertInto('pit_stops').values(c).execute());
  return rows.length;
}

interface RecordedTiming {
  season: number;
  round: number;
  lap: number;
  driverId: string;
  position: number;
  millis: number;
}

/** Every lap timing inside the recorded answers (deduplicated by race, driver and lap). */
export function recordedLapTimings(
  folders: readonly FixtureFolder[] = ['jolpica-fixtures'],
): RecordedTiming[] {
  const byKey = new Map<string, RecordedTiming>();
  const files = folders.flatMap((folder) => fixtureFiles(folder).map((file) => ({ file, folder })));
  for (const { file, folder } of files) {
    const body = readFixture(file, folder) as {
      MRData?: { RaceTable?: { Races?: Record<string, unknown>[] } };
    };
    for (const race of body.MRData?.RaceTable?.Races ?? []) {
      const laps = race.Laps as
        | { number: string; Timings: { driverId: string; position: string; time: string }[] }[]
        | undefined;
      for (const lap of laps ?? []) {
        for (const t of lap.Timings) {
          const timing = {
            season: Number(race.season),
            round: Number(race.round),
            lap: Number(lap.number),
            driverId: t.driverId,
            position: Number(t.position),
            millis: lapTimeMillis(t.time),
          };
          byKey.set(`${timing.season}:${timing.round}:${timing.driverId}:${timing.lap}`, timing);
        }
      }
    }
  }
  return [...byKey.values()];
}

async function loadRecordedLapTimes(
  db: Kysely<DB>,
  options: { seasons?: number[]; lapsFrom?: readonly FixtureFolder[] },
): Promise<number> {
  const races = await raceIds(db);
  const drivers = await driverIds(db);
  const { seasons } = options;
  const timings = recordedLapTimings(options.lapsFrom).filter(
    (t) => !seasons || seasons.includes(t.season),
  );
  const rows = timings.map((t) => {
    const race_id = races.get(`${t.season}:${t.round}`);
    const driver_id = drivers.get(t.driverId);
    if (race_id === undefined || driver_id === undefined)
      throw new Error(`recorded lap timing of an unknown race or driver: ${JSON.stringify(t)}`);
    return { race_id, driver_id, lap: t.lap, position: t.position, time_millis: t.millis };
  });
  await inChunks(rows, (c) => db.insertInto('lap_times').values(c).execute());
  return rows.length;
}

/**
 * Loads the export (1950–2024, or `seasons`) and everything the facade serves that the import may not load yet,
 * with the lap timings recorded in `lapsFrom` (the contract's fixtures by default).
 * Standings are refreshed; the import's "derived data pending" marking is cleared (as `loadCsvSeasons`).
 */
export async function loadContractData(
  db: Kysely<DB>,
  options: { seasons?: number[]; lapsFrom?: readonly FixtureFolder[] } = {},
): Promise<ContractDataReport> {
  const csvDir = path.join(sharedDataDir(), 'ergast-csv');
  const started = performance.now();
  await importCsv(db, { dirs: [csvDir], seasons: options.seasons });
  await refreshStandings(db);
  const pending = await derivedPending(db);
  if (pending !== null) await clearDerivedPending(db, pending);
  const importMs = performance.now() - started;
  return {
    importMs,
    statusesSeeded: await seedStatuses(db, csvDir),
    seasonsSeeded: await seedSeasons(db, csvDir),
    pitStopsLoaded: await loadPitStops(db, csvDir, options.seasons),
    lapTimesLoaded: await loadRecordedLapTimes(db, options),
  };
}
