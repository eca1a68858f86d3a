/**
 * Ingestion's writes, one `syncRows` spec per table (see ./ingestion-sync.ts). Reference data (circuits,
 * teams, drivers, seasons) and races are upserted by their natural key; results, sprint results, qualifying and
 * sessions are synced per race, so a round re-ingested from the source ends up equal to it.
 *
 * Rows carry resolved integer ids: callers upsert the reference data first, then map refs to ids with
 * `refIds` / `raceIds`.
 */
import type { Kysely } from 'kysely';
import type { DB, SessionKind } from '../schema.ts';
import { type SyncResult, type SyncSpec, syncRows } from './sync.ts';

export interface CircuitWrite {
  circuit_ref: string;
  name: string;
  locality: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Omitted by sources that do not carry it (the API): the stored value is then kept. */
  altitude_m?: number | null;
  url: string | null;
}
export interface TeamWrite {
  team_ref: string;
  name: string;
  nationality: string | null;
  url: string | null;
}
export interface DriverWrite {
  driver_ref: string;
  permanent_number: number | null;
  code: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  nationality: string | null;
  url: string | null;
}
/** A championship season's page (`seasons`): upserted, never deleted. */
export interface SeasonWrite {
  year: number;
  url: string | null;
}
export interface RaceWrite {
  season: number;
  round: number;
  circuit_id: number;
  name: string;
  date: string;
  /** ISO instant, or null when the source gives no start time. */
  starts_at: string | null;
  url: string | null;
}
export interface SessionWrite {
  race_id: number;
  kind: SessionKind;
  date: string;
  starts_at: string | null;
}
interface ResultBase {
  race_id: number;
  driver_id: number;
  team_id: number | null;
  number: number | null;
  grid: number | null;
  position: number | null;
  position_order: number;
  position_text: string;
  points: number;
  laps: number | null;
  time_millis: number | null;
  time_text: string | null;
  fastest_lap: number | null;
  fastest_lap_millis: number | null;
  status: string | null;
}
export interface RaceResultWrite extends ResultBase {
  /** 1, or 2, 3… for a driver's further cars in the same race (1950s shared drives). */
  entry: number;
  fastest_lap_rank: number | null;
  fastest_lap_speed_kph: number | null;
}
export type SprintResultWrite = ResultBase;
export interface QualifyingWrite {
  race_id: number;
  driver_id: number;
  team_id: number | null;
  number: number | null;
  position: number;
  q1_millis: number | null;
  q2_millis: number | null;
  q3_millis: number | null;
}

const CIRCUITS: SyncSpec<CircuitWrite> = {
  table: 'circuits',
  key: ['circuit_ref'],
  touch: true,
  columns: {
    circuit_ref: 'text',
    name: 'text',
    locality: 'text',
    country: 'text',
    latitude: 'double precision',
    longitude: 'double precision',
    altitude_m: 'integer',
    url: 'text',
  },
};
const { altitude_m: _altitude, ...CIRCUIT_COLUMNS_WITHOUT_ALTITUDE } = CIRCUITS.columns;
const CIRCUITS_WITHOUT_ALTITUDE: SyncSpec<CircuitWrite> = {
  ...CIRCUITS,
  columns: CIRCUIT_COLUMNS_WITHOUT_ALTITUDE as SyncSpec<CircuitWrite>['columns'],
};
const TEAMS: SyncSpec<TeamWrite> = {
  table: 'teams',
  key: ['team_ref'],
  touch: true,
  columns: { team_ref: 'text', name: 'text', nationality: 'text', url: 'text' },
};
const DRIVERS: SyncSpec<DriverWrite> = {
  table: 'drivers',
  key: ['driver_ref'],
  touch: true,
  columns: {
    driver_ref: 'text',
    permanent_number: 'smallint',
    code: 'text',
    given_name: 'text',
    family_name: 'text',
    date_of_birth: 'date',
    nationality: 'text',
    url: 'text',
  },
};
const SEASONS: SyncSpec<SeasonWrite> = {
  table: 'seasons',
  key: ['year'],
  // Not for deletions (seasons are never passed a scope): it makes the sync report changed years.
  scope: 'year',
  columns: { year: 'smallint', url: 'text' },
};
const RACES: SyncSpec<RaceWrite> = {
  table: 'races',
  key: ['season', 'round'],
  // Not for deletions (races are never passed a scope): it makes the sync report changed seasons.
  scope: 'season',
  touch: true,
  columns: {
    season: 'smallint',
    round: 'smallint',
    circuit_id: 'integer',
    name: 'text',
    date: 'date',
    starts_at: 'timestamptz',
    url: 'text',
  },
};
const SESSIONS: SyncSpec<SessionWrite> = {
  table: 'race_sessions',
  key: ['race_id', 'kind'],
  scope: 'race_id',
  columns: { race_id: 'integer', kind: 'text', date: 'date', starts_at: 'timestamptz' },
};
const RESULT_COLUMNS = {
  race_id: 'integer',
  driver_id: 'integer',
  team_id: 'integer',
  number: 'smallint',
  grid: 'smallint',
  position: 'smallint',
  position_order: 'smallint',
  position_text: 'text',
  points: 'numeric',
  laps: 'smallint',
  time_millis: 'integer',
  time_text: 'text',
  fastest_lap: 'smallint',
  fastest_lap_millis: 'integer',
  status: 'text',
} as const;
const RACE_RESULTS: SyncSpec<RaceResultWrite> = {
  table: 'race_results',
  key: ['race_id', 'driver_id', 'entry'],
  scope: 'race_id',
  columns: {
    ...RESULT_COLUMNS,
    entry: 'smallint',
    fastest_lap_rank: 'smallint',
    fastest_lap_speed_kph: 'numeric',
  },
};
const SPRINT_RESULTS: SyncSpec<SprintResultWrite> = {
  table: 'sprint_results',
  key: ['race_id', 'driver_id'],
  scope: 'race_id',
  columns: RESULT_COLUMNS,
};
const QUALIFYING: SyncSpec<QualifyingWrite> = {
  table: 'qualifying_results',
  key: ['race_id', 'driver_id'],
  scope: 'race_id',
  columns: {
    race_id: 'integer',
    driver_id: 'integer',
    team_id: 'integer',
    number: 'smallint',
    position: 'smallint',
    q1_millis: 'integer',
    q2_millis: 'integer',
    q3_millis: 'integer',
  },
};

export const upsertCircuits = (db: Kysely<DB>, rows: readonly CircuitWrite[]) =>
  syncRows(
    db,
    rows.every((r) => r.altitude_m !== undefined) ? CIRCUITS : CIRCUITS_WITHOUT_ALTITUDE,
    rows,
  );
export const upsertTeams = (db: Kysely<DB>, rows: readonly TeamWrite[]) =>
  syncRows(db, TEAMS, rows);
export const upsertDrivers = (db: Kysely<DB>, rows: readonly DriverWrite[]) =>
  syncRows(db, DRIVERS, rows);
export const upsertSeasons = (db: Kysely<DB>, rows: readonly SeasonWrite[]) =>
  syncRows(db, SEASONS, rows);
export const upsertRaces = (db: Kysely<DB>, rows: readonly RaceWrite[]) =>
  syncRows(db, RACES, rows);

/** Per-race syncs: `raceIds` are the races the source speaks for; their vanished rows are deleted. */
export const syncRaceSessions = (
  db: Kysely<DB>,
  rows: readonly SessionWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, SESSIONS, rows, { scope: raceIds });
export const syncRaceResults = (
  db: Kysely<DB>,
  rows: readonly RaceResultWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, RACE_RESULTS, rows, { scope: raceIds });
export const syncSprintResults = (
  db: Kysely<DB>,
  rows: readonly SprintResultWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, SPRINT_RESULTS, rows, { scope: raceIds });
export const syncQualifyingResults = (
  db: Kysely<DB>,
  rows: readonly QualifyingWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, QUALIFYING, rows, { scope: raceIds });

type RefTable = 'circuits' | 'teams' | 'drivers';
const REF_COLUMN = { circuits: 'circuit_ref', teams: 'team_ref', drivers: 'driver_ref' } as const;

/** `ref → id` for a reference table, optionally only for the given refs. */
export async function refIds(
  db: Kysely<DB>,
  table: RefTable,
  refs?: readonly string[],
): Promise<Map<string, number>> {
  if (refs && refs.length === 0) return new Map();
  const column = REF_COLUMN[table];
  let query = db.selectFrom(table).select(['id', `${column} as ref`]);
  if (refs) query = query.where(column, 'in', [...new Set(refs)]);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.ref, r.id]));
}

export const raceKey = (season: number, round: number) => `${season}:${round}`;

/** `"season:round" → race id` for the given seasons. */
export async function raceIds(
  db: Kysely<DB>,
  seasons: readonly number[],
): Promise<Map<string, number>> {
  if (seasons.length === 0) return new Map();
  const rows = await db
    .selectFrom('races')
    .select(['id', 'season', 'round'])
    .where('season', 'in', [...new Set(seasons)])
    .execute();
  return new Map(rows.map((r) => [raceKey(r.season, r.round), r.id]));
}

/**
 * Deletes a season's races that the source's schedule no longer lists (cancelled or renumbered), but
 * only those without any result: a race that was run is never deleted by a schedule sync.
 */
export async function deleteUnscheduledRaces(
  db: Kysely<DB>,
  params: { season: number; rounds: readonly number[] },
): Promise<number> {
  let query = db
    .deleteFrom('races')
    .where('season', '=', params.season)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('race_results').select('race_id').whereRef('race_id', '=', 'races.id')),
      ),
    );
  if (params.rounds.length > 0) query = query.where('round', 'not in', [...params.rounds]);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
