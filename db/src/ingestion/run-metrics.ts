/**
 * What the ingestion runs table says, summed for metrics (read when /metrics is scraped): per kind
 * and status, how many runs there are, the rows they reported (the `created` / `updated` / `deleted` /
 * `unchanged` counts the CLI and the scheduler write into `stats`), and the last finished run's.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, IngestionRunKind, IngestionRunStatus } from '../schema.ts';

export const ROW_CHANGES = ['created', 'updated', 'deleted', 'unchanged'] as const;
export type RowChange = (typeof ROW_CHANGES)[number];
export type RowCounts = Record<RowChange, number>;

export interface IngestionRunTotals {
  kind: IngestionRunKind;
  status: IngestionRunStatus;
  runs: number;
  /** Summed over every run of this kind and status. */
  rows: RowCounts;
  /** The most recently finished run's (zeros when none has finished). */
  lastRows: RowCounts;
  lastFinishedAt: Date | null;
}

interface TotalsRow {
  kind: IngestionRunKind;
  status: IngestionRunStatus;
  runs: number;
  last_finished_at: Date | string | null;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  last_created: number | null;
  last_updated: number | null;
  last_deleted: number | null;
  last_unchanged: number | null;
}

/** A stats field as a number; anything else (absent, text) counts 0. */
const count = (field: RowChange) =>
  sql.raw(
    `CASE WHEN jsonb_typeof(stats->'${field}') = 'number' THEN (stats->>'${field}')::bigint ELSE 0 END`,
  );

/** One row per kind and status present in the table. */
export async function ingestionRunTotals(db: Kysely<DB>): Promise<IngestionRunTotals[]> {
  const { rows } = await sql<TotalsRow>`
    WITH counted AS (
      SELECT kind, status, id, finished_at,
             ${count('created')} AS created, ${count('updated')} AS updated,
             ${count('deleted')} AS deleted, ${count('unchanged')} AS unchanged
      FROM ingestion_runs
    ),
    totals AS (
      SELECT kind, status, count(*)::int AS runs, max(finished_at) AS last_finished_at,
             sum(created)::bigint AS created, sum(updated)::bigint AS updated,
             sum(deleted)::bigint AS deleted, sum(unchanged)::bigint AS unchanged
      FROM counted GROUP BY kind, status
    ),
    last AS (
      SELECT DISTINCT ON (kind, status) kind, status, created, updated, deleted, unchanged
      FROM counted WHERE finished_at IS NOT NULL
      ORDER BY kind, status, finished_at DESC, id DESC
    )
    SELECT t.*, l.created AS last_created, l.updated AS last_updated,
           l.deleted AS last_deleted, l.unchanged AS last_unchanged
    FROM totals t LEFT JOIN last l USING (kind, status)
    ORDER BY t.kind, t.status`.execute(db);
  return rows.map((row) => ({
    kind: row.kind,
    status: row.status,
    runs: Number(row.runs),
    rows: {
      created: Number(row.created),
      updated: Number(row.updated),
      deleted: Number(row.deleted),
      unchanged: Number(row.unchanged),
    },
    lastRows: {
      created: Number(row.last_created ?? 0),
      updated: Number(row.last_updated ?? 0),
      deleted: Number(row.last_deleted ?? 0),
      unchanged: Number(row.last_unchanged ?? 0),
    },
    lastFinishedAt: row.last_finished_at === null ? null : new Date(row.last_finished_at),
  }));
}
