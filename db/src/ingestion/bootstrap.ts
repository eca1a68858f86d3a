/**
 * What `bun run ingest bootstrap` remembers between runs (`bootstrap_seasons`): the seasons it loaded
 * whole, and the source requests its attempts cost and when — a rerun skips the loaded seasons and
 * starts its hourly budget with the requests of the last hour.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

/** Seasons in [from, to] a bootstrap has completed. */
export async function completedBootstrapSeasons(
  db: Kysely<DB>,
  range: { from: number; to: number },
): Promise<number[]> {
  const rows = await db
    .selectFrom('bootstrap_seasons')
    .select('season')
    .where('completed_at', 'is not', null)
    .where('season', '>=', range.from)
    .where('season', '<=', range.to)
    .orderBy('season')
    .execute();
  return rows.map((r) => r.season);
}

/**
 * Records one attempt at a season: `requests` more source requests now (added to the season's count
 * while its last attempt is within the hour, else replacing it), completed or not. A season that is
 * not completed stays to do (its completion is cleared: it was attempted again and did not finish).
 */
export async function recordBootstrapAttempt(
  db: Kysely<DB>,
  attempt: { season: number; requests: number; completed: boolean },
): Promise<void> {
  await db
    .insertInto('bootstrap_seasons')
    .values({
      season: attempt.season,
      requests: attempt.requests,
      attempted_at: sql<Date>`now()`,
      completed_at: attempt.completed ? sql<Date>`now()` : null,
    })
    .onConflict((oc) =>
      oc.column('season').doUpdateSet({
        requests: sql<number>`CASE WHEN bootstrap_seasons.attempted_at > now() - interval '1 hour'
          THEN bootstrap_seasons.requests + excluded.requests ELSE excluded.requests END`,
        attempted_at: sql<Date>`now()`,
        completed_at: attempt.completed ? sql<Date>`now()` : null,
      }),
    )
    .execute();
}

/**
 * The requests bootstrap attempts made in the last hour, as `{ at, requests }` (each attempt's requests
 * dated at its end: later than they were sent, so a budget seeded from them errs on the safe side).
 */
export async function bootstrapRequestsLastHour(
  db: Kysely<DB>,
): Promise<{ at: Date; requests: number }[]> {
  const rows = await db
    .selectFrom('bootstrap_seasons')
    .select(['attempted_at', 'requests'])
    .where('attempted_at', '>', sql<Date>`now() - interval '1 hour'`)
    .where('requests', '>', 0)
    .orderBy('attempted_at')
    .execute();
  return rows.map((r) => ({ at: new Date(r.attempted_at), requests: r.requests }));
}
