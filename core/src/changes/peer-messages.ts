/**
 * Messages to the other processes when there is no Redis, as PostgreSQL `NOTIFY` payloads: a CLI or
 * the scheduler sends its invalidations and prediction updates over the database (the embedded
 * database's shared session, or PostgreSQL itself), and every server listening on it (the embedded
 * database's owner; each server process on one PostgreSQL) delivers them to its own caches and hub.
 *
 * A payload is `<origin> <message>`: the sending process's random origin, so a server skips what it
 * sent itself (PostgreSQL delivers a notification to every listener, the sender's too), then a JSON
 * array. PostgreSQL refuses a payload of 8000 bytes or more, so a batch is split into arrays of at
 * most `PEER_MESSAGE_BYTES` UTF-8 bytes (counted in bytes: a model name may be non-ASCII).
 */
/** Where a bus sends its messages when it has no Redis: one call per message. */
export interface PeerPublisher {
  publish(message: string): Promise<void>;
}

/** What a process publishes to its peers (the servers listening on its database). */
export interface ProcessPeers {
  invalidation: PeerPublisher;
  predictionUpdates: PeerPublisher;
}

/** The largest JSON array in one message; with the origin the payload stays well under 8000 bytes. */
export const PEER_MESSAGE_BYTES = 7_000;
/** PostgreSQL's limit: a `NOTIFY` payload must be shorter than this many bytes. */
export const NOTIFY_PAYLOAD_LIMIT_BYTES = 8_000;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** `items` as JSON arrays of at most `maxBytes` UTF-8 bytes each (an item longer than that alone). */
export function jsonArrayMessages(
  items: readonly unknown[],
  maxBytes = PEER_MESSAGE_BYTES,
): string[] {
  const messages: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    const bytes = utf8Bytes(json);
    if (batch.length > 0 && size + bytes + 1 > maxBytes) {
      messages.push(`[${batch.join(',')}]`);
      batch = [];
      size = 2;
    }
    batch.push(json);
    size += bytes + 1;
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

/** A process's origin: random, one per process (its composition root makes it). */
export function newPeerOrigin(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

const ORIGIN = /^[0-9a-f]{1,32}$/;

/** The payload that carries `message` from `origin`. */
export function framePeerMessage(origin: string, message: string): string {
  if (!ORIGIN.test(origin)) throw new Error(`not a peer origin: ${origin}`);
  return `${origin} ${message}`;
}

/**
 * The origin and message of a payload; origin null for a bare message (a process of the version
 * before origins, or any other sender), which is then taken as it is.
 */
export function readPeerMessage(payload: string): { origin: string | null; message: string } {
  const space = payload.indexOf(' ');
  const origin = space > 0 ? payload.slice(0, space) : '';
  return ORIGIN.test(origin)
    ? { origin, message: payload.slice(space + 1) }
    : { origin: null, message: payload };
}
