/**
 * Writes round payloads one transaction each, in round order, and reports what happened. A round that
 * fails to write (a constraint the source broke) is reported and the next round still runs; an aborted
 * run (SIGTERM) stops between rounds, leaving only whole rounds behind.
 */

import type { ChangedRace } from '@f1/core/changes/data-changes';
import { type Fence, FencedOffError } from '@f1/db/ingestion/fences';
import { addCounts, type SyncCounts, ZERO_COUNTS } from '@f1/db/ingestion/sync';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { Progress } from '../cli/progress.ts';
import { emptyTableCounts, type TableCounts } from '../records.ts';
import type { RoundFailure } from '../source/jolpica-client.ts';
import { type RoundPayload, writeRound } from './write-round.ts';

export interface IngestionReport {
  season: number;
  roundsWritten: number[];
  failures: RoundFailure[];
  /** Stopped early by the abort signal. */
  aborted: boolean;
  tables: TableCounts;
  totals: SyncCounts;
  changedRaces: ChangedRace[];
  changedSeasons: number[];
}

export interface RunRoundsOptions {
  db: Kysely<DB>;
  progress?: Progress;
  signal?: AbortSignal;
  /** The scheduler's lock fence: every round's transaction checks it (a stale holder writes nothing). */
  fence?: Fence;
  /** Called after each committed round (tests use it to simulate a crash between rounds). */
  afterRound?: (round: number) => void | Promise<void>;
}

export async function runRounds(
  options: RunRoundsOptions,
  season: number,
  payloads: RoundPayload[],
  fetchFailures: RoundFailure[],
): Promise<IngestionReport> {
  const report: IngestionReport = {
    season,
    roundsWritten: [],
    failures: [...fetchFailures],
    aborted: false,
    tables: emptyTableCounts(),
    totals: { ...ZERO_COUNTS },
    changedRaces: [],
    changedSeasons: [],
  };
  for (const failure of fetchFailures)
    options.progress?.log(
      `round ${failure.round} skipped: ${failure.message} (${failure.urls.join(', ')})`,
    );
  options.progress?.start(`${season}`, payloads.length);
  for (const payload of payloads) {
    if (options.signal?.aborted) {
      report.aborted = true;
      options.progress?.log(
        `stopped before round ${payload.round}: ${String(options.signal.reason ?? 'aborted')}`,
      );
      break;
    }
    try {
      const written = await writeRound(options.db, payload, options.fence);
      report.roundsWritten.push(payload.round);
      for (const table of Object.keys(written.tables) as (keyof TableCounts)[]) {
        report.tables[table] = addCounts(report.tables[table], written.tables[table]);
      }
      if (written.resultsChanged)
        report.changedRaces.push({ raceId: written.raceId, season, round: payload.round });
      if (written.changed && !report.changedSeasons.includes(season))
        report.changedSeasons.push(season);
      const rows =
        (payload.results?.length ?? 0) +
        (payload.sprint?.length ?? 0) +
        (payload.qualifying?.length ?? 0);
      options.progress?.tick(
        `round ${payload.round}: ${rows} rows${written.changed ? '' : ', unchanged'}`,
      );
    } catch (error) {
      // Another process holds the lock now: stop, and let it do the work.
      if (error instanceof FencedOffError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      report.failures.push({ season, round: payload.round, message, urls: [] });
      options.progress?.log(`round ${payload.round} failed: ${message}`);
    }
    await options.afterRound?.(payload.round);
  }
  options.progress?.done();
  report.totals = Object.values(report.tables).reduce(addCounts, { ...ZERO_COUNTS });
  return report;
}

/** One report for several runs over the same season (e.g. race results, then qualifying). */
export function mergeReports(season: number, reports: IngestionReport[]): IngestionReport {
  const tables = emptyTableCounts();
  for (const report of reports) {
    for (const table of Object.keys(tables) as (keyof TableCounts)[]) {
      tables[table] = addCounts(tables[table], report.tables[table]);
    }
  }
  const changed = new Map(
    reports.flatMap((r) => r.changedRaces).map((race) => [race.raceId, race]),
  );
  return {
    season,
    roundsWritten: [...new Set(reports.flatMap((r) => r.roundsWritten))].sort((a, b) => a - b),
    failures: reports.flatMap((r) => r.failures),
    aborted: reports.some((r) => r.aborted),
    tables,
    totals: Object.values(tables).reduce(addCounts, { ...ZERO_COUNTS }),
    changedRaces: [...changed.values()].sort((a, b) => a.round - b.round),
    changedSeasons: [...new Set(reports.flatMap((r) => r.changedSeasons))],
  };
}
