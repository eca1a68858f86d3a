/**
 * Full ELO recomputation (`replayRatings`, in db/ so the server's sweep can run it too), then
 * invalidation of the caches that show ratings.
 */

import { invalidate } from '@f1/core/changes/invalidation';
import type { Redis } from '@f1/core/redis';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { type RecomputeSummary, replayRatings } from './replay.ts';

export { groupRaces, type RecomputeSummary } from './replay.ts';

export async function recomputeRatings(
  db: Kysely<DB>,
  options: { redis?: Redis | null } = {},
): Promise<RecomputeSummary> {
  const summary = await replayRatings(db);
  await invalidate(options.redis ?? null, ['ratings', 'drivers', 'teams']);
  return summary;
}
