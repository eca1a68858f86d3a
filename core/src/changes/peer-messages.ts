/**
 * Messages to the other processes when there is no Redis: a CLI or the scheduler beside a server on
 * the embedded database sends its invalidations and prediction updates as `pg_notify` payloads over
 * the shared session, and the server (the database's owner) delivers them to its caches and hub.
 * PostgreSQL refuses a payload of 8000 bytes or more, so a batch goes as JSON arrays below that.
 */

/** Where a bus sends its messages when it has no Redis: one call per message. */
export interface PeerPublisher {
  publish(message: string): Promise<void>;
}

/** What a jobs process publishes to its peers (the server that owns the embedded database). */
export interface ProcessPeers {
  invalidation: PeerPublisher;
  predictionUpdates: PeerPublisher;
}

const PEER_MESSAGE_CHARS = 7_000;

/** `items` as JSON arrays of at most `maxChars` characters each (an item longer than that alone). */
export function jsonArrayMessages(
  items: readonly unknown[],
  maxChars = PEER_MESSAGE_CHARS,
): string[] {
  const messages: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (batch.length > 0 && size + json.length + 1 > maxChars) {
      messages.push(`[${batch.join(',')}]`);
      batch = [];
      size = 2;
    }
    batch.push(json);
    size += json.length + 1;
  }
  if (batch.length > 0) messages.push(`[${batch.join(',')}]`);
  return messages;
}

/** The items of a JSON-array message that pass `read` (null: not an array of such items). */
export function parseJsonArray<T>(message: string, read: (item: unknown) => T | null): T[] | null {
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed)) return null;
    const items = parsed.map(read);
    return items.every((item) => item !== null) ? (items as T[]) : null;
  } catch {
    return null;
  }
}
