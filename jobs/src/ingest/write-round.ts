/**
 * Writes one round — its race, the drivers/teams/circuit it mentions and the datasets fetched for it —
 * in ONE transaction: a run that dies half-way leaves whole rounds only, and a rerun completes the rest.
 *
 * A dataset that is undefined was not part of this run; an empty one means the source has no rows for
 * the round yet (a race not run): it is left untouched rather than cleared, so a transient empty answer
 * can never wipe a round. A dataset with rows replaces the round's rows (insert, update, delete).
 * `ingested_rounds` keeps each dataset's payload fingerprint and row count.
 */

import { createHash } from 'node:crypto';
import { markDerivedPending } from '@f1/db/ingestion/derived-pending';
import { checkFence, type Fence } from '@f1/db/ingestion/fences';
import { addCounts, type SyncCounts } from '@f1/db/ingestion/sync';
import type { CircuitWrite, DriverWrite, TeamWrite } from '@f1/db/ingestion/writes';
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
import type { DB, IngestedDataset } from '@f1/db/schema';
import { type Kysely, sql } from 'kysely';
import {
  emptyTableCounts,
  type IngestTable,
  type QualifyingRecord,
  type RaceRecord,
  type ResultRecord,
  type SessionRecord,
  type SprintRecord,
  type TableCounts,
} from '../records.ts';

export interface RoundPayload {
  season: number;
  round: number;
  race: RaceRecord;
  circuit: CircuitWrite;
  drivers: DriverWrite[];
  teams: TeamWrite[];
  sessions?: SessionRecord[];
  results?: ResultRecord[];
  sprint?: SprintRecord[];
  qualifying?: QualifyingRecord[];
}

export interface RoundWriteResult {
  raceId: number;
  tables: TableCounts;
  /** Results, sprint results or qualifying changed. */
  resultsChanged: boolean;
  /** Anything changed, the race's schedule entry included. */
  changed: boolean;
}

const fingerprint = (rows: unknown[]) =>
  createHash('sha256').update(JSON.stringify(rows)).digest('hex');

async function recordDataset(
  db: Kysely<DB>,
  season: number,
  round: number,
  dataset: IngestedDataset,
  rows: unknown[],
) {
  const hash = fingerprint(rows);
  await sql`
    INSERT INTO ingested_rounds (season, round, dataset, payload_hash, row_count)
    VALUES (${season}, ${round}, ${dataset}, ${hash}, ${rows.length})
    ON CONFLICT (season, round, dataset) DO UPDATE
      SET payload_hash = EXCLUDED.payload_hash, row_count = EXCLUDED.row_count, ingested_at = now()
      WHERE ingested_rounds.payload_hash IS DISTINCT FROM EXCLUDED.payload_hash`.execute(db);
}

/** Writes a round; with a `fence`, a stale lock holder's write is refused (see `checkFence`). */
export async function writeRound(
  db: Kysely<DB>,
  payload: RoundPayload,
  fence?: Fence,
): Promise<RoundWriteResult> {
  return db.transaction().execute(async (trx) => {
    if (fence) await checkFence(trx, fence);
    const tables = emptyTableCounts();
    const add = (table: IngestTable, counts: SyncCounts) => {
      tables[table] = addCounts(tables[table], counts);
    };
    add('circuits', await upsertCircuits(trx, [payload.circuit]));
    add('teams', await upsertTeams(trx, payload.teams));
    add('drivers', await upsertDrivers(trx, payload.drivers));
    const circuitId = (await refIds(trx, 'circuits', [payload.circuit.circuit_ref])).get(
      payload.circuit.circuit_ref,
    );
    if (circuitId === undefined)
      throw new Error(`circuit ${payload.circuit.circuit_ref} was not written`);
    const { circuitRef: _ref, ...race } = payload.race;
    add('races', await upsertRaces(trx, [{ ...race, circuit_id: circuitId }]));
    const raceId = (await raceIds(trx, [payload.season])).get(
      raceKey(payload.season, payload.round),
    );
    if (raceId === undefined)
      throw new Error(`race ${payload.season}/${payload.round} was not written`);

    const refs = [
      ...(payload.results ?? []),
      ...(payload.sprint ?? []),
      ...(payload.qualifying ?? []),
    ];
    const driverIds = await refIds(
      trx,
      'drivers',
      refs.map((r) => r.driverRef),
    );
    const teamIds = await refIds(
      trx,
      'teams',
      refs.flatMap((r) => (r.teamRef ? [r.teamRef] : [])),
    );
    const resolve = <
      T extends { season: number; round: number; driverRef: string; teamRef: string | null },
    >(
      row: T,
    ) => {
      const { season: _s, round: _r, driverRef, teamRef, ...rest } = row;
      const driverId = driverIds.get(driverRef);
      if (driverId === undefined)
        throw new Error(`driver ${driverRef} is not in the payload's driver list`);
      return {
        ...rest,
        race_id: raceId,
        driver_id: driverId,
        team_id: teamRef ? (teamIds.get(teamRef) ?? null) : null,
      };
    };

    let resultsChanged = false;
    if (payload.sessions) {
      add(
        'race_sessions',
        await syncRaceSessions(
          trx,
          payload.sessions.map(({ season: _s, round: _r, ...s }) => ({ ...s, race_id: raceId })),
          [raceId],
        ),
      );
    }
    const track = async (
      dataset: IngestedDataset,
      table: IngestTable,
      rows: unknown[],
      write: () => Promise<SyncCounts>,
    ) => {
      const counts = await write();
      add(table, counts);
      if (counts.created + counts.updated + counts.deleted > 0) resultsChanged = true;
      await recordDataset(trx, payload.season, payload.round, dataset, rows);
    };
    const { results, sprint, qualifying } = payload;
    if (results?.length) {
      await track('results', 'race_results', results, () =>
        syncRaceResults(trx, results.map(resolve), [raceId]),
      );
    }
    if (sprint?.length) {
      await track('sprint', 'sprint_results', sprint, () =>
        syncSprintResults(trx, sprint.map(resolve), [raceId]),
      );
    }
    if (qualifying?.length) {
      await track('qualifying', 'qualifying_results', qualifying, () =>
        syncQualifyingResults(trx, qualifying.map(resolve), [raceId]),
      );
    }
    const changed = Object.values(tables).some((c) => c.created + c.updated + c.deleted > 0);
    // Committed with the rows, so a process killed before `afterRun` leaves the follow-ups findable.
    if (changed) await markDerivedPending(trx);
    return { raceId, tables, resultsChanged, changed };
  });
}
