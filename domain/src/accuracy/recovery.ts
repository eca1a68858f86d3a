/**
 * The accuracy sweep: rescore every race whose accuracy is missing or out of date
 * (`staleAccuracyRaces`). Submissions score in their own transaction, but ingestion commits results
 * before the data-change pipeline scores them, so an ingest killed in between leaves races unscored.
 * Each chunk scored is reported to the pipeline (caches, subscribers). The server sweeps at start-up
 * and then periodically; scoring is idempotent and serialised per race, so several server processes
 * sweeping at once is harmless.
 */
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import { staleAccuracyRaces } from '@f1/db/accuracy/stale';
import type { DomainContext } from '../context.ts';

const CHUNK = 200;
/** How often the running server sweeps after the start-up sweep. */
export const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Rescores the stale races; returns how many races and accuracy rows were (re)computed. */
export async function recoverAccuracy(
  services: DomainContext,
): Promise<{ races: number; rows: number }> {
  const stale = await staleAccuracyRaces(services.db);
  let rows = 0;
  for (let i = 0; i < stale.length; i += CHUNK) {
    const stored = await computeRaceAccuracy(services.db, stale.slice(i, i + CHUNK));
    rows += stored.length;
    const races = [...new Map(stored.map((r) => [r.raceId, r])).values()];
    await services.changes.changed([
      {
        kind: 'accuracy',
        sets: races.map((r) => ({
          season: r.season,
          round: r.round,
          model: null,
          version: null,
          backtest: false,
        })),
      },
    ]);
  }
  if (stale.length) services.logger.info('accuracy recovered', { races: stale.length, rows });
  return { races: stale.length, rows };
}

/**
 * Sweeps now and every `intervalMs` with `sweepOnce` (main.ts passes `recoverDerived`, which also
 * completes pending standings and ratings); returns the function that stops it. A failure is logged.
 */
export function startAccuracyRecovery(
  services: DomainContext,
  intervalMs = SWEEP_INTERVAL_MS,
  sweepOnce: (services: DomainContext) => Promise<unknown> = recoverAccuracy,
): () => void {
  let running = false;
  const sweep = () => {
    // A slow sweep is not overlapped by the next tick.
    if (running) return;
    running = true;
    void sweepOnce(services)
      .catch((error: unknown) =>
        services.logger.error('accuracy sweep failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        running = false;
      });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
