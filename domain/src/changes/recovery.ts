/**
 * The server's derived-data sweep. A results/schedule writer commits its rows with a "derived data
 * pending" marker (`@f1/db/ingestion/derived-pending`) that the data-change pipeline clears when the
 * follow-ups finish; a process killed in between leaves the marker. The sweep reports "a results
 * writer ran and changed nothing" to the pipeline, which then completes everything a marking covers
 * (standings, ratings, accuracy, the next baseline, every season's caches) and clears it; then it
 * rescores whatever accuracy is still stale.
 */
import type { DataChange } from '@f1/core/changes/data-changes';
import { recoverAccuracy } from '../accuracy/recovery.ts';
import type { DomainContext } from '../context.ts';

export interface DerivedRecovery {
  /** Whether a pending marking was found and completed. */
  pending: boolean;
  accuracy: { races: number; rows: number };
}

/** What a results writer that changed nothing reports: the pipeline completes a pending marking. */
export const NOTHING_INGESTED: readonly DataChange[] = [
  { kind: 'results', races: [] },
  { kind: 'schedule', seasons: [] },
];

export async function recoverDerived(services: DomainContext): Promise<DerivedRecovery> {
  const report = await services.changes.changed([...NOTHING_INGESTED]);
  if (report.recovered) services.logger.info('pending derived data recovered');
  const accuracy = await recoverAccuracy(services);
  return { pending: report.recovered, accuracy };
}
