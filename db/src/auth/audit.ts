/**
 * The audit log: one row per mutation and per authentication event. Rows are append-only; the admin API
 * reads them newest first with keyset pagination on `id` (ids grow with insertion order).
 */
import type { Kysely } from 'kysely';
import type { AuditOutcome, DB } from '../schema.ts';

export interface AuditEntry {
  userId: number | null;
  apiKeyId: number | null;
  action: string;
  outcome: AuditOutcome;
  ip: string | null;
  /** SHA-256 (hex) of the input with secrets removed; null when the call had no input. */
  inputHash: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  occurredAt: Date;
  detail: Record<string, unknown>;
}

const COLUMNS = [
  'id',
  'occurred_at',
  'user_id',
  'api_key_id',
  'action',
  'outcome',
  'ip',
  'input_hash',
  'detail',
] as const;

export async function insertAuditEntry(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: entry.userId,
      api_key_id: entry.apiKeyId,
      action: entry.action,
      outcome: entry.outcome,
      ip: entry.ip,
      input_hash: entry.inputHash,
      detail: entry.detail ?? {},
    })
    .execute();
}

export interface AuditQuery {
  since?: Date | null;
  userId?: number | null;
  action?: string | null;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: number | null;
}

export interface AuditPage {
  items: AuditRecord[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

/** Audit rows, newest first. */
export async function listAuditEntries(db: Kysely<DB>, params: AuditQuery): Promise<AuditPage> {
  let query = db
    .selectFrom('audit_log')
    .select(COLUMNS)
    .orderBy('id', 'desc')
    .limit(params.limit + 1);
  if (params.since) query = query.where('occurred_at', '>=', params.since);
  if (params.userId != null) query = query.where('user_id', '=', params.userId);
  if (params.action) query = query.where('action', '=', params.action);
  if (params.cursor != null) query = query.where('id', '<', params.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, params.limit).map(
    (row): AuditRecord => ({
      id: Number(row.id),
      occurredAt: new Date(row.occurred_at),
      userId: row.user_id,
      apiKeyId: row.api_key_id,
      action: row.action,
      outcome: row.outcome,
      ip: row.ip,
      inputHash: row.input_hash,
      detail: row.detail,
    }),
  );
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > params.limit && last ? last.id : null };
}
