/**
 * The server's derived-data sweep. An ingest commits its rows with a "derived data pending" marker
 * (`@f1/db/ingestion/derived-pending`) and clears it when its follow-ups finish; a process killed in
 * between leaves the marker. When it is set the sweep recomputes every season's standings, replays the
 * ratings and invalidates every season's caches, then (always) rescores stale accuracy, and only then
 * clears the marking it saw. A failure leaves the marker for the next sweep. (The next race's
 * `elo-baseline` prediction is the ingestion jobs' and follows on the next ingest run.)
 */

import { invalidate, tagsFor } from '@f1/core/changes/invalidation';
import {
  clearDerivedPending,
  derivedPending,
  derivedScope,
} from '@f1/db/ingestion/derived-pending';
import { recoverAccuracy } from '../accuracy/recovery.ts';
import type { DomainContext } from '../context.ts';
import { replayRatings } from '../ratings/replay.ts';
import { refreshStandings } from '../standings/refresh.ts';

export interface DerivedRecovery {
  /** Whether a pending marking was found and completed. */
  pending: boolean;
  accuracy: { races: number; rows: number };
}

export async function recoverDerived(services: DomainContext): Promise<DerivedRecovery> {
  const generation = await derivedPending(services.db);
  if (generation !== null) {
    await refreshStandings(services.db);
    const ratings = await replayRatings(services.db);
    const { changedSeasons } = await derivedScope(services.db);
    await invalidate(services.redis, tagsFor(changedSeasons.map((season) => ({ season }))));
    services.logger.info('pending derived data recovered', { ratingsRaces: ratings.races });
  }
  const accuracy = await recoverAccuracy(services);
  if (generation !== null) await clearDerivedPending(services.db, generation);
  return { pending: generation !== null, accuracy };
}
