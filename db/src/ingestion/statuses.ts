/**
 * The status vocabulary (`statuses`): the source's numeric ids for the texts results carry
 * ("Finished" 1, "Retired" 31, Jolpica's "Did not start" 142, "Lapped" 143). A source that gives ids
 * (the CSV export's `status.csv`) makes them true; a text written without an id gets the next one
 * (max + 1), so every status a result shows has an id for `status/{id}` filters.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import type { SyncCounts } from './sync.ts';

export interface StatusWrite {
  id: number;
  status: string;
}

/**
 * Makes the given (id, text) pairs true: a stored row that holds one of their ids or texts under
 * another pairing is replaced, and a text it displaced gets a new id (results keep texts, so nothing
 * else moves). Returns the counts and the displaced texts.
 */
async function syncGiven(
  db: Kysely<DB>,
  rows: readonly StatusWrite[],
): Promise<SyncCounts & { displaced: string[] }> {
  if (rows.length === 0) return { created: 0, updated: 0, deleted: 0, unchanged: 0, displaced: [] };
  const json = JSON.stringify(rows);
  const result = await sql<{ created: number; displaced: string[] | null }>`
    WITH src AS (
      SELECT * FROM json_to_recordset(CAST(CAST(${json} AS text) AS json)) AS x(id integer, status text)
    ),
    del AS (
      DELETE FROM statuses AS s
      WHERE (s.id IN (SELECT id FROM src) OR s.status IN (SELECT status FROM src))
        AND NOT EXISTS (SELECT 1 FROM src WHERE src.id = s.id AND src.status = s.status)
      RETURNING s.status
    )
    SELECT (SELECT count(*) FROM src WHERE NOT EXISTS (
              SELECT 1 FROM statuses AS s WHERE s.id = src.id AND s.status = src.status))::integer AS created,
           (SELECT json_agg(status) FROM del WHERE status NOT IN (SELECT status FROM src)) AS displaced`.execute(
    db,
  );
  await sql`
    INSERT INTO statuses (id, status)
    SELECT id, status FROM json_to_recordset(CAST(CAST(${json} AS text) AS json)) AS x(id integer, status text)
    ON CONFLICT DO NOTHING`.execute(db);
  const counts = result.rows[0] ?? { created: 0, displaced: null };
  const displaced = counts.displaced ?? [];
  return {
    created: counts.created,
    updated: 0,
    deleted: displaced.length,
    unchanged: rows.length - counts.created,
    displaced,
  };
}

/** Gives each text without a row the next id (max + 1, in text order). Returns how many it added. */
async function addMissing(db: Kysely<DB>, texts: readonly string[]): Promise<number> {
  const wanted = [...new Set(texts.filter((t) => t !== ''))].sort();
  if (wanted.length === 0) return 0;
  const stored = await db
    .selectFrom('statuses')
    .select('status')
    .where('status', 'in', wanted)
    .execute();
  const known = new Set(stored.map((r) => r.status));
  const missing = wanted.filter((t) => !known.has(t));
  if (missing.length === 0) return 0;
  // Two writers numbering at once would pick the same ids: the second waits for the first.
  await sql`LOCK TABLE statuses IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  const inserted = await sql`
    INSERT INTO statuses (id, status)
    SELECT (SELECT coalesce(max(id), 0) FROM statuses) + ord, status
    FROM json_array_elements_text(CAST(CAST(${JSON.stringify(missing)} AS text) AS json))
      WITH ORDINALITY AS m(status, ord)
    WHERE NOT EXISTS (SELECT 1 FROM statuses AS s WHERE s.status = m.status)
    ON CONFLICT (status) DO NOTHING`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
}

/**
 * The statuses of one write: `given` pairs made true, then every text of `used` (the results and
 * sprint rows written) without a row numbered max + 1. Run it inside the caller's transaction.
 */
export async function syncStatuses(
  db: Kysely<DB>,
  params: { given: readonly StatusWrite[]; used: readonly string[] },
): Promise<SyncCounts> {
  const given = await syncGiven(db, params.given);
  const added = await addMissing(db, [...params.used, ...given.displaced]);
  return {
    created: given.created + added,
    updated: given.updated,
    deleted: given.deleted,
    unchanged: given.unchanged,
  };
}
