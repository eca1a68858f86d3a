/**
 * The write primitive of ingestion: make a table equal a source, in bulk, in one statement, and say
 * what changed.
 *
 * Rows travel as ONE JSON parameter expanded by `json_to_recordset` (no bind-parameter limit, one round
 * trip, the same SQL on PostgreSQL and PGlite). The statement
 *   - inserts rows whose key is new,
 *   - updates rows whose key exists only when a value differs (`IS DISTINCT FROM`), so an identical rerun
 *     writes nothing,
 *   - deletes, within the given scope (e.g. the races being synced), rows whose key the source no longer
 *     has (a disqualification reclassifies the field),
 * and returns created/updated/deleted/unchanged. Inserted vs updated is told apart by counting the keys
 * that already existed in the statement's snapshot (`xmax = 0` is unavailable on partitioned tables).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface SyncCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** Counts plus the scope values (e.g. race ids) whose rows changed. */
export interface SyncResult extends SyncCounts {
  changedScope: number[];
}

export const ZERO_COUNTS: Readonly<SyncCounts> = Object.freeze({
  created: 0,
  updated: 0,
  deleted: 0,
  unchanged: 0,
});

export function addCounts(a: SyncCounts, b: SyncCounts): SyncCounts {
  return {
    created: a.created + b.created,
    updated: a.updated + b.updated,
    deleted: a.deleted + b.deleted,
    unchanged: a.unchanged + b.unchanged,
  };
}

/** A table the sync can write: its conflict key, every written column with its SQL type. */
export interface SyncSpec<Row> {
  table: keyof DB & string;
  key: readonly (keyof Row & string)[];
  columns: { readonly [C in keyof Row & string]: string };
  /** Column that scopes deletions (rows outside the scope are never deleted). */
  scope?: keyof Row & string;
  /** The table has `updated_at`, bumped when a row really changes. */
  touch?: boolean;
}

export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
}

function assertUniqueKeys<Row>(spec: SyncSpec<Row>, rows: readonly Row[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const id = spec.key.map((k) => String(row[k])).join('|');
    if (seen.has(id)) {
      throw new DuplicateKeyError(
        `${spec.table}: the source lists key (${spec.key.join(', ')}) = (${id.replaceAll('|', ', ')}) twice`,
      );
    }
    seen.add(id);
  }
}

const ident = (name: string) => sql.id(name);
const list = (names: readonly string[], prefix?: string) =>
  sql.join(names.map((n) => (prefix ? sql.ref(`${prefix}.${n}`) : ident(n))));

function syncStatement<Row>(
  spec: SyncSpec<Row>,
  json: string,
  scope: readonly number[] | null,
): RawBuilder<{ created: number; updated: number; deleted: number; changed: number[] | null }> {
  const columns = Object.keys(spec.columns) as (keyof Row & string)[];
  const values = columns.filter((c) => !spec.key.includes(c));
  const recordType = sql.join(columns.map((c) => sql`${ident(c)} ${sql.raw(spec.columns[c])}`));
  const table = ident(spec.table);
  const keyMatch = (alias: string) =>
    sql.join(
      spec.key.map((k) => sql`${sql.ref(`src.${k}`)} = ${sql.ref(`${alias}.${k}`)}`),
      sql` AND `,
    );
  const assignments = [
    ...values.map((c) => sql`${ident(c)} = EXCLUDED.${ident(c)}`),
    ...(spec.touch ? [sql`updated_at = now()`] : []),
  ];
  const onConflict =
    values.length === 0
      ? sql`DO NOTHING`
      : sql`DO UPDATE SET ${sql.join(assignments)}
            WHERE (${list(values, spec.table)}) IS DISTINCT FROM (${list(values, 'excluded')})`;
  const scoped = spec.scope ? ident(spec.scope) : sql`NULL::integer`;
  const deletion =
    scope && spec.scope
      ? sql`DELETE FROM ${table} AS t
            WHERE ${sql.ref(`t.${spec.scope}`)} IN (SELECT value::integer FROM json_array_elements_text(CAST(CAST(${JSON.stringify(scope)} AS text) AS json)))
              AND NOT EXISTS (SELECT 1 FROM src WHERE ${keyMatch('t')})
            RETURNING ${sql.ref(`t.${spec.scope}`)} AS v`
      : sql`SELECT NULL::integer AS v WHERE false`;
  return sql`
    WITH src AS (SELECT * FROM json_to_recordset(CAST(CAST(${json} AS text) AS json)) AS x(${recordType})),
    existing AS (SELECT count(*) AS n FROM ${table} AS t JOIN src ON ${keyMatch('t')}),
    del AS (${deletion}),
    up AS (
      INSERT INTO ${table} (${list(columns)}) SELECT ${list(columns)} FROM src
      ON CONFLICT (${list(spec.key)}) ${onConflict}
      RETURNING ${scoped} AS v
    ),
    counts AS (SELECT (SELECT count(*) FROM src) - (SELECT n FROM existing) AS created)
    SELECT counts.created::integer AS created,
           ((SELECT count(*) FROM up) - counts.created)::integer AS updated,
           (SELECT count(*) FROM del)::integer AS deleted,
           (SELECT json_agg(DISTINCT v) FROM (SELECT v FROM up UNION SELECT v FROM del) AS c
             WHERE v IS NOT NULL) AS changed
    FROM counts`;
}

/**
 * Makes `spec.table` hold `rows` (matched on `spec.key`); with `scope`, also deletes the rows of those
 * scope values (e.g. race ids) that `rows` no longer contains. Run it inside the caller's transaction.
 */
export async function syncRows<Row>(
  db: Kysely<DB>,
  spec: SyncSpec<Row>,
  rows: readonly Row[],
  options: { scope?: readonly number[] } = {},
): Promise<SyncResult> {
  const scope = options.scope && options.scope.length > 0 ? options.scope : null;
  if (rows.length === 0 && !scope) return { ...ZERO_COUNTS, changedScope: [] };
  assertUniqueKeys(spec, rows);
  const result = await syncStatement(spec, JSON.stringify(rows), scope).execute(db);
  const counts = result.rows[0] ?? { created: 0, updated: 0, deleted: 0, changed: null };
  return {
    created: counts.created,
    updated: counts.updated,
    deleted: counts.deleted,
    unchanged: rows.length - counts.created - counts.updated,
    changedScope: counts.changed ?? [],
  };
}
