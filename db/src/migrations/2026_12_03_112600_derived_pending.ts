import type { Kysely } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * A durable "derived data pending" marker. Ingestion writes it in the transaction that changes results
 * or the schedule; the follow-ups that run after the commit (standings refresh, ratings, accuracy, cache
 * invalidation) clear it when they finish. A process killed in between leaves it set, and the next
 * ingest run or the server's sweep completes the work. `generation` rises with every marking, so a
 * follow-up clears only the marking it saw, never a later ingest's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE derived_pending (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      generation bigint NOT NULL CHECK (generation > 0),
      marked_at timestamptz NOT NULL DEFAULT now()
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['DROP TABLE derived_pending']);
}
