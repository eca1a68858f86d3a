/**
 * Full ELO recomputation (`replayRatings`, in db/ so the server's sweep can run it too), then
 * invalidation of the caches that show ratings.
 */
import { type RecomputeSummary, replayRatings } from '@f1/db/ratings/replay';
import type { DB } from '@f1/db/schema';
import { invalidate } from '@f1/server/cache/invalidation';
import type { Redis } from '@f1/server/redis';
import type { Kysely } from 'kysely';

export { groupRaces, type RecomputeSummary } from '@f1/db/ratings/replay';

export async function recomputeRatings(
  db: Kysely<DB>,
  options: { redis?: Redis | null } = {},
): Promise<RecomputeSummary> {
  const summary = await replayRatings(db);
  await invalidate(options.redis ?? null, ['ratings', 'drivers', 'teams']);
  return summary;
}
