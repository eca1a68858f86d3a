/**
 * The source-neutral dataset every source produces and the one writer applies (./write-dataset.ts):
 * what a round, a season or a whole history is in our terms, keyed by natural refs — races by
 * season/round, drivers, teams and circuits by their public refs — never by database ids. A new source
 * is one folder under `jobs/src/sources/` implementing `Source`.
 */

import type { StatusWrite } from '@f1/db/ingestion/statuses';
import type { LapTimeWrite, PitStopWrite } from '@f1/db/ingestion/timing';
import type {
  CircuitWrite,
  DriverWrite,
  QualifyingWrite,
  RaceResultWrite,
  RaceWrite,
  SessionWrite,
  SprintResultWrite,
  TeamWrite,
} from '@f1/db/ingestion/writes';

/** A per-race row before its ids are resolved: the race by season/round, driver and team by ref. */
export type Unresolved<T> = Omit<T, 'race_id' | 'driver_id' | 'team_id'> & {
  season: number;
  round: number;
  driverRef: string;
  teamRef: string | null;
};

export type CircuitRecord = CircuitWrite;
export type TeamRecord = TeamWrite;
export type DriverRecord = DriverWrite;
export type RaceRecord = Omit<RaceWrite, 'circuit_id'> & { circuitRef: string };
export type SessionRecord = Omit<SessionWrite, 'race_id'> & { season: number; round: number };
export type ResultRecord = Unresolved<RaceResultWrite>;
export type SprintRecord = Unresolved<SprintResultWrite>;
export type QualifyingRecord = Unresolved<QualifyingWrite>;
/** A per-race timing row (no team): the race by season/round, the driver by ref. */
type UnresolvedTiming<T> = Omit<T, 'race_id' | 'driver_id'> & {
  season: number;
  round: number;
  driverRef: string;
};
export type LapRecord = UnresolvedTiming<LapTimeWrite>;
export type PitStopRecord = UnresolvedTiming<PitStopWrite>;
export type StatusRecord = StatusWrite;

/**
 * One unit of writing (one transaction). Reference rows and races are upserted. A per-race table that
 * is absent was not part of this read. `sessions` replace the sessions of every race in `races` (the
 * schedule speaks for the whole weekend); results, sprint and qualifying replace the rows of each race
 * that has rows — a race with none (not run yet, a transient empty answer) keeps its rows.
 */
export interface Dataset {
  circuits: CircuitRecord[];
  teams: TeamRecord[];
  drivers: DriverRecord[];
  races: RaceRecord[];
  sessions?: SessionRecord[];
  results?: ResultRecord[];
  sprint?: SprintRecord[];
  qualifying?: QualifyingRecord[];
  /**
   * Lap timings and pit stops follow the results rule: absent = not read (the CSV export has no
   * `lap_times.csv`, a read that did not ask for them), nothing is touched; present = each race WITH
   * rows is replaced (a row the source dropped is deleted); a race without rows keeps what it has
   * (laps are published hours after a race; a transient empty answer must not wipe them).
   */
  laps?: LapRecord[];
  pitStops?: PitStopRecord[];
  /** The source's status ids (the export's `status.csv`); texts without one are numbered max + 1. */
  statuses?: StatusRecord[];
  /**
   * Complete calendars: each listed season's races not in `rounds` are deleted, unless they have
   * results (a race that was run is never deleted by a schedule).
   */
  calendars?: { season: number; rounds: number[] }[];
}

export const emptyDataset = (): Dataset => ({ circuits: [], teams: [], drivers: [], races: [] });

/** What to read and what a dataset speaks for: the writer touches no race outside its scope. */
export type Scope =
  | { kind: 'all'; seasons?: readonly number[] }
  | { kind: 'season'; season: number }
  | { kind: 'round'; season: number; round: number };

export function inScope(scope: Scope, season: number, round: number): boolean {
  switch (scope.kind) {
    case 'all':
      return !scope.seasons || scope.seasons.includes(season);
    case 'season':
      return season === scope.season;
    case 'round':
      return season === scope.season && round === scope.round;
  }
}

/** The parts of a scope a read asks for; `schedule` is the calendar (races and sessions). */
export type Part = 'schedule' | 'results' | 'sprint' | 'qualifying' | 'laps' | 'pitstops';
export const ALL_PARTS: readonly Part[] = [
  'schedule',
  'results',
  'sprint',
  'qualifying',
  'laps',
  'pitstops',
];

/** A round the source could not give (a payload violating its schema): reported, never written. */
export interface RoundFailure {
  season: number;
  round: number;
  /** The field path and problem, e.g. `Results[3].points: expected a number, got "x"`. */
  message: string;
  urls: string[];
}

export interface SourceRead {
  /** Written in order, each in its own transaction (the API: one per round; a CSV export: one). */
  datasets: { scope: Scope; dataset: Dataset }[];
  failures: RoundFailure[];
}

/** A source of F1 data: reads a scope into datasets. */
export interface Source {
  /** Short name for logs and reports (`jolpica`, `ergast-csv`). */
  readonly name: string;
  read(request: { scope: Scope; parts?: readonly Part[] }): Promise<SourceRead>;
}

/**
 * Numbers a driver's cars within one race (shared drives) in classification order: entry 1 is the
 * driver's best-placed car. Every source numbers them this way, so they agree row for row.
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
