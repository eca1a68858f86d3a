/**
 * `import-csv`: loads one or more Ergast CSV export folders into the database in ONE transaction
 * (all or nothing), with bulk statements (see `@f1/db/ingestion/sync`). Rerunning it writes
 * nothing; a race whose rows changed in the export is made equal to it (rows the export no longer has
 * are deleted). Later folders win over earlier ones for the same race or ref, so
 * `import-csv ergast-csv ergast-csv-2025` layers the 2025 extension over the 1950–2024 export.
 *
 * Standings are not refreshed here: the caller runs the post-ingestion steps (./after-run.ts).
 */

import type { ChangedRace } from '@f1/core/changes/data-changes';
import { markDerivedPending } from '@f1/db/ingestion/derived-pending';
import { addCounts, type SyncCounts, type SyncResult, ZERO_COUNTS } from '@f1/db/ingestion/sync';
import {
  raceIds,
  raceKey,
  refIds,
  syncQualifyingResults,
  syncRaceResults,
  syncRaceSessions,
  syncSprintResults,
  upsertCircuits,
  upsertDrivers,
  upsertRaces,
  upsertTeams,
} from '@f1/db/ingestion/writes';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { emptyTableCounts, type IngestTable, type TableCounts } from '../records.ts';
import { type ErgastExport, readErgastExport } from './ergast-export.ts';

/** Rows per statement: large enough to amortise round trips, small enough to bound memory. */
const CHUNK_ROWS = 30_000;

export interface ImportCsvResult {
  tables: TableCounts;
  totals: SyncCounts;
  /** Rows read from the export(s) and written or compared. */
  rows: number;
  /** Races whose results, sprint results or qualifying changed. */
  changedRaces: ChangedRace[];
  /** Seasons with any change at all (schedule included). */
  changedSeasons: number[];
}

/** Keeps, per key, the rows of the last source that has any: later exports override earlier ones. */
function layer<T>(sources: T[][], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T[]>();
  for (const rows of sources) {
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

function merge(exports: ErgastExport[]) {
  const race = (r: { season: number; round: number }) => raceKey(r.season, r.round);
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
    races: layer(
      exports.map((e) => e.races),
      race,
    ),
    sessions: layer(
      exports.map((e) => e.sessions),
      race,
    ),
    results: layer(
      exports.map((e) => e.results),
      race,
    ),
    sprintResults: layer(
      exports.map((e) => e.sprintResults),
      race,
    ),
    qualifying: layer(
      exports.map((e) => e.qualifying),
      race,
    ),
  };
}

/** Splits rows (grouped by race) into chunks of whole races, each with the race ids it speaks for. */
function chunksByRace<T extends { race_id: number }>(
  rows: T[],
): { rows: T[]; raceIds: number[] }[] {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.race_id);
    if (group) group.push(row);
    else groups.set(row.race_id, [row]);
  }
  const chunks: { rows: T[]; raceIds: number[] }[] = [];
  let current: { rows: T[]; raceIds: number[] } = { rows: [], raceIds: [] };
  for (const [id, group] of groups) {
    if (current.rows.length > 0 && current.rows.length + group.length > CHUNK_ROWS) {
      chunks.push(current);
      current = { rows: [], raceIds: [] };
    }
    current.rows.push(...group);
    current.raceIds.push(id);
  }
  if (current.rows.length > 0) chunks.push(current);
  return chunks;
}

function need<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`import-csv: ${what} "${key}" was not imported`);
  return value;
}

/** Imports the export folders (in order; later ones override earlier ones) inside one transaction. */
export async function importCsv(
  db: Kysely<DB>,
  options: { dirs: string[]; seasons?: number[] },
): Promise<ImportCsvResult> {
  if (options.dirs.length === 0) throw new Error('import-csv: no export folder given');
  const data = merge(
    options.dirs.map((dir) => readErgastExport(dir, { seasons: options.seasons })),
  );
  const seasons = [...new Set(data.races.map((r) => r.season))];

  return db.transaction().execute(async (trx) => {
    const tables = emptyTableCounts();
    const changedRaceIds = new Set<number>();
    const changedSeasons = new Set<number>();

    tables.circuits = addCounts(ZERO_COUNTS, await upsertCircuits(trx, data.circuits));
    tables.teams = addCounts(ZERO_COUNTS, await upsertTeams(trx, data.teams));
    tables.drivers = addCounts(ZERO_COUNTS, await upsertDrivers(trx, data.drivers));
    const circuitIds = await refIds(trx, 'circuits');
    const teamIds = await refIds(trx, 'teams');
    const driverIds = await refIds(trx, 'drivers');

    const raceSync = await upsertRaces(
      trx,
      data.races.map(({ circuitRef, ...race }) => ({
        ...race,
        circuit_id: need(circuitIds, circuitRef, 'circuit'),
      })),
    );
    tables.races = addCounts(ZERO_COUNTS, raceSync);
    for (const season of raceSync.changedScope) changedSeasons.add(season);
    const races = await raceIds(trx, seasons);
    const raceId = (season: number, round: number) => need(races, raceKey(season, round), 'race');

    const resolve = <
      T extends { season: number; round: number; driverRef: string; teamRef: string | null },
    >(
      row: T,
    ) => {
      const { season, round, driverRef, teamRef, ...rest } = row;
      return {
        ...rest,
        race_id: raceId(season, round),
        driver_id: need(driverIds, driverRef, 'driver'),
        team_id: teamRef ? need(teamIds, teamRef, 'team') : null,
      };
    };

    for (const chunk of chunksByRace(
      data.sessions.map(({ season, round, ...s }) => ({ ...s, race_id: raceId(season, round) })),
    )) {
      const r = await syncRaceSessions(trx, chunk.rows, chunk.raceIds);
      tables.race_sessions = addCounts(tables.race_sessions, r);
    }
    const perRace = async <T extends { race_id: number }>(
      table: IngestTable,
      rows: T[],
      sync: (db: Kysely<DB>, rows: readonly T[], raceIds: readonly number[]) => Promise<SyncResult>,
    ) => {
      for (const chunk of chunksByRace(rows)) {
        const r = await sync(trx, chunk.rows, chunk.raceIds);
        tables[table] = addCounts(tables[table], r);
        for (const id of r.changedScope) changedRaceIds.add(id);
      }
    };
    await perRace('race_results', data.results.map(resolve), syncRaceResults);
    await perRace('sprint_results', data.sprintResults.map(resolve), syncSprintResults);
    await perRace('qualifying_results', data.qualifying.map(resolve), syncQualifyingResults);

    const byId = new Map([...races].map(([key, id]) => [id, key]));
    const changedRaces = [...changedRaceIds].flatMap((id): ChangedRace[] => {
      const key = byId.get(id);
      if (!key) return [];
      const [season, round] = key.split(':').map(Number);
      return season && round ? [{ raceId: id, season, round }] : [];
    });
    for (const race of changedRaces) changedSeasons.add(race.season);
    changedRaces.sort((a, b) => a.season - b.season || a.round - b.round);
    const totals = Object.values(tables).reduce(addCounts, { ...ZERO_COUNTS });
    // Committed with the rows, so a process killed before `afterRun` leaves the follow-ups findable.
    if (changedSeasons.size > 0) await markDerivedPending(trx);
    return {
      tables,
      totals,
      rows: totals.created + totals.updated + totals.unchanged,
      changedRaces,
      changedSeasons: [...changedSeasons].sort((a, b) => a - b),
    };
  });
}
