import type { Kysely } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * Fencing tokens for the job scheduler's Redis lock. A lock holder that stalls past its lease (GC pause,
 * lost network) may wake up after another process took the lock; every round it writes first raises the
 * fence to its token inside the same transaction, and a token lower than the stored one aborts the write.
 * The database, the resource being protected, is what enforces the lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE ingestion_fences (
      name text PRIMARY KEY CHECK (name <> ''),
      token bigint NOT NULL CHECK (token >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['DROP TABLE ingestion_fences']);
}
