/**
 * The one report of ingestion: what `writeDataset` returns for one dataset, what a whole run returns
 * (reports merged), and what every entry point hands on — counts per table, failed rounds, and the
 * changed races/seasons the data-change follow-ups take (`RunChanges`).
 */

import type { ChangedRace, RaceKey } from '@f1/core/changes/data-changes';
import { addCounts, type SyncCounts, ZERO_COUNTS } from '@f1/db/ingestion/sync';
import type { RoundFailure } from './dataset.ts';

/** The tables ingestion writes, in write order. */
export const INGEST_TABLES = [
  'circuits',
  'teams',
  'drivers',
  'races',
  'race_sessions',
  'race_results',
  'sprint_results',
  'qualifying_results',
  'lap_times',
  'pit_stops',
  'statuses',
] as const;
export type IngestTable = (typeof INGEST_TABLES)[number];
export type TableCounts = Record<IngestTable, SyncCounts>;

export const emptyTableCounts = (): TableCounts =>
  Object.fromEntries(INGEST_TABLES.map((t) => [t, { ...ZERO_COUNTS }])) as TableCounts;

export interface IngestionReport {
  /** The season asked for; null for a read of several seasons or the whole history. */
  season: number | null;
  /** Rounds whose round-sized dataset was committed. */
  roundsWritten: number[];
  failures: RoundFailure[];
  /** Stopped early by the abort signal. */
  aborted: boolean;
  tables: TableCounts;
  totals: SyncCounts;
  /** Rows read from the source and written or compared (created + updated + unchanged). */
  rows: number;
  /** Races whose results, sprint results or qualifying changed. */
  changedRaces: ChangedRace[];
  /** Races whose lap timings or pit stops changed (no standings follow; their caches drop). */
  timingRaces: RaceKey[];
  /** Seasons with any change at all (schedule included). */
  changedSeasons: number[];
  /** "Derived data pending" markings committed (one per dataset that changed anything). */
  pendingMarks: number;
}

export function emptyReport(season: number | null): IngestionReport {
  return {
    season,
    roundsWritten: [],
    failures: [],
    aborted: false,
    tables: emptyTableCounts(),
    totals: { ...ZERO_COUNTS },
    rows: 0,
    changedRaces: [],
    timingRaces: [],
    changedSeasons: [],
    pendingMarks: 0,
  };
}

/** Recomputes `totals` and `rows` from `tables`. */
export function withTotals(report: IngestionReport): IngestionReport {
  const totals = Object.values(report.tables).reduce(addCounts, { ...ZERO_COUNTS });
  return { ...report, totals, rows: totals.created + totals.updated + totals.unchanged };
}

/** One report for several (e.g. every round of a season, or race results then qualifying). */
export function mergeReports(season: number | null, reports: IngestionReport[]): IngestionReport {
  const tables = emptyTableCounts();
  for (const report of reports) {
    for (const table of INGEST_TABLES) {
      tables[table] = addCounts(tables[table], report.tables[table]);
    }
  }
  const changed = new Map(
    reports.flatMap((r) => r.changedRaces).map((race) => [race.raceId, race]),
  );
  return withTotals({
    season,
    roundsWritten: [...new Set(reports.flatMap((r) => r.roundsWritten))].sort((a, b) => a - b),
    failures: reports.flatMap((r) => r.failures),
    aborted: reports.some((r) => r.aborted),
    tables,
    totals: { ...ZERO_COUNTS },
    rows: 0,
    changedRaces: [...changed.values()].sort((a, b) => a.season - b.season || a.round - b.round),
    timingRaces: [
      ...new Map(
        reports.flatMap((r) => r.timingRaces).map((r) => [`${r.season}:${r.round}`, r]),
      ).values(),
    ].sort((a, b) => a.season - b.season || a.round - b.round),
    changedSeasons: [...new Set(reports.flatMap((r) => r.changedSeasons))].sort((a, b) => a - b),
    pendingMarks: reports.reduce((n, r) => n + r.pendingMarks, 0),
  });
}
