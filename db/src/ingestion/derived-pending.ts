/**
 * The "derived data pending" marker (see the `derived_pending` migration): set inside an ingest's
 * transaction, cleared once the standings, ratings, accuracy and caches have caught up.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

/** Marks derived data as pending; call inside the transaction that writes the change. */
export async function markDerivedPending(db: Kysely<DB>): Promise<void> {
  await sql`
    INSERT INTO derived_pending (id, generation) VALUES (true, 1)
    ON CONFLICT (id) DO UPDATE
      SET generation = derived_pending.generation + 1, marked_at = now()`.execute(db);
}

/** The pending marking's generation, or null when derived data is up to date. */
export async function derivedPending(db: Kysely<DB>): Promise<number | null> {
  const row = await sql<{ generation: string }>`
    SELECT generation::text AS generation FROM derived_pending`.execute(db);
  const first = row.rows[0];
  return first ? Number(first.generation) : null;
}

/** Clears the marking seen as `generation`; a later marking (a newer ingest) stays pending. */
export async function clearDerivedPending(db: Kysely<DB>, generation: number): Promise<void> {
  await sql`DELETE FROM derived_pending WHERE generation = ${generation}`.execute(db);
}

export interface DerivedScope {
  /** Every race with results, by season and round. */
  changedRaces: { raceId: number; season: number; round: number }[];
  /** Every season with races. */
  changedSeasons: number[];
}

/**
 * What a pending marking may cover when the run that set it is gone: everything. (Its changed races
 * are unknown; a clean full import would name all of these.)
 */
export async function derivedScope(db: Kysely<DB>): Promise<DerivedScope> {
  const races = await sql<{ race_id: number; season: number; round: number }>`
    SELECT r.id AS race_id, r.season, r.round FROM races r
    WHERE EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id)
    ORDER BY r.season, r.round`.execute(db);
  const seasons = await sql<{ season: number }>`
    SELECT DISTINCT season FROM races ORDER BY season`.execute(db);
  return {
    changedRaces: races.rows.map((r) => ({ raceId: r.race_id, season: r.season, round: r.round })),
    changedSeasons: seasons.rows.map((r) => r.season),
  };
}
