/**
 * Source-neutral rows, shared by the CSV backfill and the API ingestion: write rows of
 * `@f1/db/ingestion/writes` before their ids are resolved — races by season/round, drivers,
 * teams and circuits by their public refs.
 */
import { type SyncCounts, ZERO_COUNTS } from '@f1/db/ingestion/sync';
import type {
  QualifyingWrite,
  RaceResultWrite,
  RaceWrite,
  SessionWrite,
  SprintResultWrite,
} from '@f1/db/ingestion/writes';

export type Unresolved<T> = Omit<T, 'race_id' | 'driver_id' | 'team_id'> & {
  season: number;
  round: number;
  driverRef: string;
  teamRef: string | null;
};

export type ResultRecord = Unresolved<RaceResultWrite>;
export type SprintRecord = Unresolved<SprintResultWrite>;
export type QualifyingRecord = Unresolved<QualifyingWrite>;
export type RaceRecord = Omit<RaceWrite, 'circuit_id'> & { circuitRef: string };
export type SessionRecord = Omit<SessionWrite, 'race_id'> & { season: number; round: number };

/**
 * Numbers a driver's cars within one race (shared drives) in classification order: entry 1 is the
 * driver's best-placed car. Both sources number them this way, so they agree row for row.
 */
export function numberEntries<
  T extends {
    season: number;
    round: number;
    driverRef: string;
    position_order: number;
    entry: number;
  },
>(rows: T[]): T[] {
  const next = new Map<string, number>();
  const ordered = [...rows].sort((a, b) => a.position_order - b.position_order);
  for (const row of ordered) {
    const key = `${row.season}:${row.round}:${row.driverRef}`;
    const entry = (next.get(key) ?? 0) + 1;
    next.set(key, entry);
    row.entry = entry;
  }
  return rows;
}

/** The tables ingestion writes, in write order; both paths report counts per table. */
export const INGEST_TABLES = [
  'circuits',
  'teams',
  'drivers',
  'races',
  'race_sessions',
  'race_results',
  'sprint_results',
  'qualifying_results',
] as const;
export type IngestTable = (typeof INGEST_TABLES)[number];
export type TableCounts = Record<IngestTable, SyncCounts>;

export const emptyTableCounts = (): TableCounts =>
  Object.fromEntries(INGEST_TABLES.map((t) => [t, { ...ZERO_COUNTS }])) as TableCounts;
