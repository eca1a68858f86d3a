/**
 * `NOTIFY` through a database: how a process without Redis reaches the servers that listen on the
 * same database (`Database.listen`): the embedded database's owner, or every server on one
 * PostgreSQL. Delivered when the statement's transaction commits; nobody listening is not an error.
 */
import { PEER_INVALIDATION_CHANNEL } from '@f1/core/changes/invalidation';
import { framePeerMessage, type ProcessPeers } from '@f1/core/changes/peer-messages';
import { PEER_PREDICTION_UPDATES_CHANNEL } from '@f1/core/changes/prediction-updates';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export async function notify(db: Kysely<DB>, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}

/**
 * A process's messages to its peers as notifications through `database`, each marked with `origin`
 * (so a listening server can tell its own from the others': @f1/core/changes/peer-messages).
 */
export function peersOver(database: { readonly db: Kysely<DB> }, origin: string): ProcessPeers {
  const over = (channel: string) => ({
    publish: (message: string) => notify(database.db, channel, framePeerMessage(origin, message)),
  });
  return {
    invalidation: over(PEER_INVALIDATION_CHANNEL),
    predictionUpdates: over(PEER_PREDICTION_UPDATES_CHANNEL),
  };
}
