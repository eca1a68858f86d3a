/**
 * Fencing for lock-protected writers (see the `ingestion_fences` migration). Call `checkFence` inside
 * the transaction that writes: it raises the stored token to `token`, or throws `FencedOffError` when a
 * newer lock holder has already written (the transaction then rolls back whole).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface Fence {
  name: string;
  token: number;
}

export class FencedOffError extends Error {
  override readonly name = 'FencedOffError';
  constructor(
    readonly fence: Fence,
    readonly current: number,
  ) {
    super(
      `lock "${fence.name}" token ${fence.token} is stale (token ${current} has written since)`,
    );
  }
}

export async function checkFence(db: Kysely<DB>, fence: Fence): Promise<void> {
  const raised = await sql<{ token: number }>`
    INSERT INTO ingestion_fences (name, token) VALUES (${fence.name}, ${fence.token})
    ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token, updated_at = now()
      WHERE ingestion_fences.token <= EXCLUDED.token
    RETURNING token`.execute(db);
  if (raised.rows.length > 0) return;
  const current = await db
    .selectFrom('ingestion_fences')
    .select('token')
    .where('name', '=', fence.name)
    .executeTakeFirst();
  throw new FencedOffError(fence, current?.token ?? 0);
}

/** The highest token that has written under this lock name (0 when none has). */
export async function currentFence(db: Kysely<DB>, name: string): Promise<number> {
  const row = await db
    .selectFrom('ingestion_fences')
    .select('token')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.token ?? 0;
}
