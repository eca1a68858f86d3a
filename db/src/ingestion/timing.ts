/**
 * Ingestion's writes of lap timings and pit stops: synced per race like results (./writes.ts), one
 * bulk statement per chunk of races (./sync.ts), so a round re-ingested from the source ends up equal
 * to it — rows that vanished from a race the source speaks for are deleted.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { type SyncResult, type SyncSpec, syncRows } from './sync.ts';

export interface LapTimeWrite {
  race_id: number;
  driver_id: number;
  lap: number;
  position: number | null;
  time_millis: number | null;
}

export interface PitStopWrite {
  race_id: number;
  driver_id: number;
  stop: number;
  lap: number;
  /** Local time of day at the circuit, `HH:MM:SS`. */
  time_of_day: string;
  duration_millis: number | null;
}

const LAP_TIMES: SyncSpec<LapTimeWrite> = {
  table: 'lap_times',
  key: ['race_id', 'driver_id', 'lap'],
  scope: 'race_id',
  columns: {
    race_id: 'integer',
    driver_id: 'integer',
    lap: 'smallint',
    position: 'smallint',
    time_millis: 'integer',
  },
};

const PIT_STOPS: SyncSpec<PitStopWrite> = {
  table: 'pit_stops',
  key: ['race_id', 'driver_id', 'stop'],
  scope: 'race_id',
  columns: {
    race_id: 'integer',
    driver_id: 'integer',
    stop: 'smallint',
    lap: 'smallint',
    time_of_day: 'text',
    duration_millis: 'integer',
  },
};

/** `raceIds` are the races the source speaks for; their vanished laps are deleted. */
export const syncLapTimes = (
  db: Kysely<DB>,
  rows: readonly LapTimeWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, LAP_TIMES, rows, { scope: raceIds });

/** `raceIds` are the races the source speaks for; their vanished pit stops are deleted. */
export const syncPitStops = (
  db: Kysely<DB>,
  rows: readonly PitStopWrite[],
  raceIds: readonly number[],
): Promise<SyncResult> => syncRows(db, PIT_STOPS, rows, { scope: raceIds });
