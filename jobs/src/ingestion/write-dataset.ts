/**
 * The one ingestion writer: applies a source-neutral dataset (./dataset.ts) inside the caller's
 * transaction and reports what changed (./report.ts). Every source and entry point writes through it.
 *
 * Order: fence check (a stale lock holder writes nothing), reference rows (circuits, teams, drivers,
 * season pages — never deleted) and races upserted by natural key, refs resolved to ids once, then the
 * per-race tables synced in bulk chunks of whole races (rows that vanished from a race the dataset
 * speaks for are deleted), complete calendars applied, and the derived-data marker set in the same
 * transaction. A round-sized dataset also leaves each table's payload fingerprint and row count in
 * `ingested_rounds`.
 */
import { createHash } from 'node:crypto';
import type { ChangedRace, RaceKey } from '@f1/core/changes/data-changes';
import { markDerivedPending } from '@f1/db/ingestion/derived-pending';
import { checkFence, type Fence } from '@f1/db/ingestion/fences';
import { syncStatuses } from '@f1/db/ingestion/statuses';
import { addCounts, type SyncCounts, type SyncResult } from '@f1/db/ingestion/sync';
import { syncLapTimes, syncPitStops } from '@f1/db/ingestion/timing';
import {
  deleteUnscheduledRaces,
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
  upsertSeasons,
  upsertTeams,
} from '@f1/db/ingestion/writes';
import type { DB, IngestedDataset } from '@f1/db/schema';
import { type Kysely, sql } from 'kysely';
import { type Dataset, inScope, type Scope, seasonInScope } from './dataset.ts';
import {
  emptyReport,
  INGEST_TABLES,
  type IngestionReport,
  type IngestTable,
  withTotals,
} from './report.ts';

/** Rows per statement: large enough to amortise round trips, small enough to bound memory. */
const CHUNK_ROWS = 30_000;

/** Tables whose changes drop caches but feed no standings, ratings or accuracy. */
const TIMING_TABLES: ReadonlySet<IngestTable> = new Set(['lap_times', 'pit_stops', 'statuses']);

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

function need<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined)
    throw new DatasetError(`${what} "${key}" is neither in the dataset nor stored`);
  return value;
}

/** Splits rows into chunks of whole races, each with the races (rows or not) it speaks for. */
function chunksByRace<T extends { race_id: number }>(rows: T[], covered: Iterable<number>) {
  const groups = new Map<number, T[]>();
  for (const id of covered) groups.set(id, []);
  for (const row of rows) groups.get(row.race_id)?.push(row);
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
  if (current.raceIds.length > 0) chunks.push(current);
  return chunks;
}

const fingerprint = (rows: unknown[]) =>
  createHash('sha256').update(JSON.stringify(rows)).digest('hex');

async function recordFingerprint(
  db: Kysely<DB>,
  scope: { season: number; round: number },
  dataset: IngestedDataset,
  rows: unknown[],
) {
  await sql`
    INSERT INTO ingested_rounds (season, round, dataset, payload_hash, row_count)
    VALUES (${scope.season}, ${scope.round}, ${dataset}, ${fingerprint(rows)}, ${rows.length})
    ON CONFLICT (season, round, dataset) DO UPDATE
      SET payload_hash = EXCLUDED.payload_hash, row_count = EXCLUDED.row_count, ingested_at = now()
      WHERE ingested_rounds.payload_hash IS DISTINCT FROM EXCLUDED.payload_hash`.execute(db);
}

const changedAny = (c: { created: number; updated: number; deleted: number }) =>
  c.created + c.updated + c.deleted > 0;

type PerRaceSync<T> = (
  db: Kysely<DB>,
  rows: readonly T[],
  raceIds: readonly number[],
) => Promise<SyncResult>;

/** Applies `dataset` (which must lie inside `scope`) in `trx`; see the module comment. */
export async function writeDataset(
  trx: Kysely<DB>,
  dataset: Dataset,
  scope: Scope,
  options: { fence?: Fence } = {},
): Promise<IngestionReport> {
  const keyed = [
    ...dataset.races,
    ...(dataset.sessions ?? []),
    ...(dataset.results ?? []),
    ...(dataset.sprint ?? []),
    ...(dataset.qualifying ?? []),
    ...(dataset.laps ?? []),
    ...(dataset.pitStops ?? []),
  ];
  for (const row of keyed) {
    if (!inScope(scope, row.season, row.round))
      throw new DatasetError(`race ${row.season}/${row.round} is outside the dataset's scope`);
  }
  for (const calendar of dataset.calendars ?? []) {
    if (scope.kind === 'round' || !inScope(scope, calendar.season, 0))
      throw new DatasetError(`the calendar of ${calendar.season} is outside the dataset's scope`);
    // A complete calendar deletes the season's unlisted races: an empty one (a source's empty or bad
    // answer) would wipe the schedule. A source without a schedule leaves `calendars` out instead.
    if (calendar.rounds.length === 0)
      throw new DatasetError(`the calendar of ${calendar.season} lists no rounds`);
  }

  for (const { year } of dataset.seasons ?? []) {
    if (!seasonInScope(scope, year))
      throw new DatasetError(`season ${year} is outside the dataset's scope`);
  }

  if (options.fence) await checkFence(trx, options.fence);

  const report = emptyReport(scope.kind === 'all' ? null : scope.season);
  if (scope.kind === 'round') report.roundsWritten.push(scope.round);
  const { tables } = report;
  const add = (table: IngestTable, counts: SyncCounts) => {
    tables[table] = addCounts(tables[table], counts);
  };
  const changedSeasons = new Set<number>();
  const changedRaceIds = new Set<number>();

  add('circuits', await upsertCircuits(trx, dataset.circuits));
  add('teams', await upsertTeams(trx, dataset.teams));
  add('drivers', await upsertDrivers(trx, dataset.drivers));
  const seasonSync = await upsertSeasons(trx, dataset.seasons ?? []);
  add('seasons', seasonSync);
  for (const year of seasonSync.changedScope) changedSeasons.add(year);
  const circuitIds = await refIds(
    trx,
    'circuits',
    dataset.races.map((r) => r.circuitRef),
  );
  const raceSync = await upsertRaces(
    trx,
    dataset.races.map(({ circuitRef, ...race }) => ({
      ...race,
      circuit_id: need(circuitIds, circuitRef, 'circuit'),
    })),
  );
  add('races', raceSync);
  for (const season of raceSync.changedScope) changedSeasons.add(season);

  // Ids resolved once, for every table.
  const races = await raceIds(trx, [...new Set(keyed.map((r) => r.season))]);
  const raceId = (season: number, round: number) => need(races, raceKey(season, round), 'race');
  const people = [
    ...(dataset.results ?? []),
    ...(dataset.sprint ?? []),
    ...(dataset.qualifying ?? []),
  ];
  const timed = [...(dataset.laps ?? []), ...(dataset.pitStops ?? [])];
  const driverIds = await refIds(trx, 'drivers', [
    ...new Set([...people, ...timed].map((r) => r.driverRef)),
  ]);
  const teamIds = await refIds(
    trx,
    'teams',
    people.flatMap((r) => (r.teamRef ? [r.teamRef] : [])),
  );
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

  if (dataset.sessions) {
    const rows = dataset.sessions.map(({ season, round, ...s }) => ({
      ...s,
      race_id: raceId(season, round),
    }));
    const covered = dataset.races.map((r) => raceId(r.season, r.round));
    for (const chunk of chunksByRace(rows, covered)) {
      const result = await syncRaceSessions(trx, chunk.rows, chunk.raceIds);
      add('race_sessions', result);
      for (const id of result.changedScope) changedRaceIds.add(id);
    }
  }
  /** Syncs `rows` in chunks of whole races; the races whose rows changed go into `changed`. */
  const perRace = async <T extends { race_id: number }>(
    table: IngestTable,
    rows: T[],
    sync: PerRaceSync<T>,
    changed: Set<number>,
  ) => {
    for (const chunk of chunksByRace(rows, new Set(rows.map((r) => r.race_id)))) {
      const result = await sync(trx, chunk.rows, chunk.raceIds);
      add(table, result);
      for (const id of result.changedScope) changed.add(id);
    }
  };
  const changedResults = new Set<number>();
  const { results, sprint, qualifying } = dataset;
  if (results) await perRace('race_results', results.map(resolve), syncRaceResults, changedResults);
  if (sprint)
    await perRace('sprint_results', sprint.map(resolve), syncSprintResults, changedResults);
  if (qualifying)
    await perRace(
      'qualifying_results',
      qualifying.map(resolve),
      syncQualifyingResults,
      changedResults,
    );
  const changedTiming = new Set<number>();
  const resolveTimed = <T extends { season: number; round: number; driverRef: string }>(row: T) => {
    const { season, round, driverRef, ...rest } = row;
    return {
      ...rest,
      race_id: raceId(season, round),
      driver_id: need(driverIds, driverRef, 'driver'),
    };
  };
  if (dataset.laps)
    await perRace('lap_times', dataset.laps.map(resolveTimed), syncLapTimes, changedTiming);
  if (dataset.pitStops)
    await perRace('pit_stops', dataset.pitStops.map(resolveTimed), syncPitStops, changedTiming);
  const statusTexts = [...(results ?? []), ...(sprint ?? [])].flatMap((r) =>
    r.status ? [r.status] : [],
  );
  if (dataset.statuses?.length || statusTexts.length > 0) {
    add('statuses', await syncStatuses(trx, { given: dataset.statuses ?? [], used: statusTexts }));
  }

  if (scope.kind === 'round') {
    const parts: [IngestedDataset, unknown[] | undefined][] = [
      ['results', results],
      ['sprint', sprint],
      ['qualifying', qualifying],
    ];
    for (const [part, rows] of parts) {
      if (rows?.length) await recordFingerprint(trx, scope, part, rows);
    }
  }

  for (const calendar of dataset.calendars ?? []) {
    const deleted = await deleteUnscheduledRaces(trx, calendar);
    tables.races.deleted += deleted;
    if (deleted > 0) changedSeasons.add(calendar.season);
  }

  // A renamed driver, team or circuit shows in every season the dataset speaks for.
  if ([tables.circuits, tables.teams, tables.drivers].some(changedAny)) {
    for (const race of dataset.races) changedSeasons.add(race.season);
  }
  const keyOf = new Map([...races].map(([key, id]) => [id, key]));
  const changedRaces = [...changedResults].flatMap((id): ChangedRace[] => {
    const [season, round] = (keyOf.get(id) ?? '').split(':').map(Number);
    return season && round ? [{ raceId: id, season, round }] : [];
  });
  for (const id of changedRaceIds) {
    const [season] = (keyOf.get(id) ?? '').split(':').map(Number);
    if (season) changedSeasons.add(season);
  }
  for (const race of changedRaces) changedSeasons.add(race.season);
  report.timingRaces = [...changedTiming].flatMap((id): RaceKey[] => {
    const [season, round] = (keyOf.get(id) ?? '').split(':').map(Number);
    return season && round ? [{ season, round }] : [];
  });
  report.timingRaces.sort((a, b) => a.season - b.season || a.round - b.round);
  report.changedRaces = changedRaces.sort((a, b) => a.season - b.season || a.round - b.round);
  report.changedSeasons = [...changedSeasons].sort((a, b) => a - b);
  // Committed with the rows, so a process killed before the follow-ups leaves them findable. Laps,
  // pit stops and status ids feed no derived data: they mark nothing.
  const derivedInputs = INGEST_TABLES.filter((t) => !TIMING_TABLES.has(t));
  if (derivedInputs.some((t) => changedAny(tables[t]))) {
    await markDerivedPending(trx);
    report.pendingMarks = 1;
  }
  return withTotals(report);
}
