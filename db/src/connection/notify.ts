/**
 * `NOTIFY` through a database: how a process that shares the embedded database's session (a CLI beside
 * the server) reaches its owner, which listens (`Database.listen`). Delivered when the statement's
 * transaction commits; nobody listening is not an error.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export async function notify(db: Kysely<DB>, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}
