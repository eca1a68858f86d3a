/**
 * The ingestion pipeline every entry point runs: read a scope from a `Source`, write each dataset in
 * its own transaction with `writeDataset`, and return one merged `IngestionReport`.
 *
 * A round-sized dataset that fails to write (a constraint the source broke) is reported as a failed
 * round and the next one still runs; a larger one (a season's calendar, a whole export) fails the run
 * and rolls back whole. An aborted run (SIGTERM) stops between datasets, leaving whole rounds only.
 */
import { type Fence, FencedOffError } from '@f1/db/ingestion/fences';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { Progress } from '../cli/progress.ts';
import type { Dataset, Part, Scope, Source } from './dataset.ts';
import { emptyReport, type IngestionReport, mergeReports } from './report.ts';
import { writeDataset } from './write-dataset.ts';

export interface IngestOptions {
  db: Kysely<DB>;
  progress?: Progress;
  signal?: AbortSignal;
  /** The scheduler's lock fence: every transaction checks it (a stale holder writes nothing). */
  fence?: Fence;
  /** Called after each round-sized dataset (tests use it to simulate a crash between rounds). */
  afterRound?: (round: number) => void | Promise<void>;
}

const rowsOf = (d: Dataset) =>
  (d.results?.length ?? 0) + (d.sprint?.length ?? 0) + (d.qualifying?.length ?? 0);

const label = (scope: Scope) => (scope.kind === 'all' ? 'all seasons' : `${scope.season}`);

export async function runIngestion(
  options: IngestOptions,
  source: Source,
  request: { scope: Scope; parts?: readonly Part[] },
): Promise<IngestionReport> {
  const { progress, signal } = options;
  const read = await source.read(request);
  const season = request.scope.kind === 'all' ? null : request.scope.season;
  const reports = [{ ...emptyReport(season), failures: read.failures }];
  for (const failure of read.failures)
    progress?.log(
      `round ${failure.round} skipped: ${failure.message} (${failure.urls.join(', ')})`,
    );
  progress?.start(
    label(request.scope),
    read.datasets.filter((d) => d.scope.kind === 'round').length,
  );
  for (const { scope, dataset } of read.datasets) {
    const round = scope.kind === 'round' ? scope.round : null;
    if (signal?.aborted) {
      reports.push({ ...emptyReport(season), aborted: true });
      progress?.log(
        `stopped before ${round === null ? label(scope) : `round ${round}`}: ${String(signal.reason ?? 'aborted')}`,
      );
      break;
    }
    try {
      const written = await options.db
        .transaction()
        .execute((trx) => writeDataset(trx, dataset, scope, { fence: options.fence }));
      reports.push(written);
      const { created, updated, deleted } = written.totals;
      const unchanged = created + updated + deleted === 0 ? ', unchanged' : '';
      if (round !== null) progress?.tick(`round ${round}: ${rowsOf(dataset)} rows${unchanged}`);
    } catch (error) {
      // Another process holds the lock now: stop, and let it do the work. A dataset larger than a
      // round has nothing to go on to.
      if (error instanceof FencedOffError || scope.kind !== 'round') throw error;
      const message = error instanceof Error ? error.message : String(error);
      reports.push({
        ...emptyReport(season),
        failures: [{ season: scope.season, round: scope.round, message, urls: [] }],
      });
      progress?.log(`round ${scope.round} failed: ${message}`);
    }
    if (round !== null) await options.afterRound?.(round);
  }
  progress?.done();
  return mergeReports(season, reports);
}
