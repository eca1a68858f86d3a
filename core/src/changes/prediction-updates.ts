/**
 * "Predictions or accuracy of a race changed" events, across server processes, resumable.
 *
 * Writers (the submit path here, accuracy recomputation in jobs) append each event to the race's Redis
 * stream (its id: `<ms>-<seq>`, kept for 7 days, the last 1,000 per race) and publish it on one
 * channel, in one Lua call. Every server process holds one subscriber connection (see
 * `PredictionUpdateHub`) and fans the events out to its SSE subscribers; a client that reconnects with
 * the last id it saw is first sent what it missed, read from the stream. Without Redis there is one
 * process, so events are delivered and kept in-process, with ids of the same form.
 */
import type { Redis } from '../redis.ts';
import { UPDATE_SCRIPTS } from './prediction-update-scripts.ts';

export const PREDICTION_UPDATES_CHANNEL = 'f1:prediction-updates';

/** Events kept per race for clients that reconnect (approximately: Redis trims in whole nodes). */
export const KEPT_PER_RACE = 1_000;
const KEPT_FOR_MS = 7 * 24 * 3_600_000;

export interface PredictionUpdate {
  season: number;
  round: number;
  kind: 'predictions' | 'accuracy';
  /** The model whose predictions (or accuracy) changed; null for a whole-race recomputation. */
  model: string | null;
  version: string | null;
  backtest: boolean;
  /** ISO time of the change. */
  at: string;
}

/** An update with its id in the race's stream (`<ms>-<seq>`, increasing). */
export interface PredictionUpdateEvent {
  id: string;
  update: PredictionUpdate;
}

export const EVENT_ID = /^\d{1,15}-\d{1,15}$/;

/** Whether stream id `a` comes after `b`. */
export function isAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

/** The channel on this connection, prefixed like its keys so parallel test runs stay apart. */
export function predictionUpdatesChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}${PREDICTION_UPDATES_CHANNEL}`;
}

const streamKey = (race: { season: number; round: number }) =>
  `f1:prediction-updates:${race.season}:${race.round}`;

type Listener = (update: PredictionUpdate, id: string) => void;
const localListeners = new Set<Listener>();
const localLog = new Map<string, PredictionUpdateEvent[]>();
let lastLocalId = { ms: 0, seq: 0 };

/** In-process delivery, used when there is no Redis (and by the hub for messages from Redis). */
export function onLocalPredictionUpdate(listener: Listener): () => void {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
}

/** Keeps the update in this process's log under a new id and delivers it to in-process listeners. */
function appendLocally(update: PredictionUpdate): void {
  const ms = Date.now();
  lastLocalId =
    ms > lastLocalId.ms ? { ms, seq: 0 } : { ms: lastLocalId.ms, seq: lastLocalId.seq + 1 };
  const id = `${lastLocalId.ms}-${lastLocalId.seq}`;
  const key = streamKey(update);
  const log = localLog.get(key) ?? [];
  log.push({ id, update });
  if (log.length > KEPT_PER_RACE) log.splice(0, log.length - KEPT_PER_RACE);
  localLog.set(key, log);
  for (const listener of localListeners) listener(update, id);
}

/** Parses an update; null for anything malformed (never trust the wire). */
export function parsePredictionUpdate(message: string): PredictionUpdate | null {
  try {
    return toUpdate(JSON.parse(message));
  } catch {
    return null;
  }
}

/** Parses a message from the channel (`{ id, update }`); null for anything malformed. */
export function parsePredictionEvent(message: string): PredictionUpdateEvent | null {
  try {
    const value = JSON.parse(message) as { id?: unknown; update?: unknown };
    const update = toUpdate(value.update);
    return typeof value.id === 'string' && EVENT_ID.test(value.id) && update
      ? { id: value.id, update }
      : null;
  } catch {
    return null;
  }
}

function toUpdate(raw: unknown): PredictionUpdate | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const value = raw as Partial<PredictionUpdate>;
  if (
    typeof value.season === 'number' &&
    typeof value.round === 'number' &&
    (value.kind === 'predictions' || value.kind === 'accuracy') &&
    typeof value.at === 'string'
  ) {
    return {
      season: value.season,
      round: value.round,
      kind: value.kind,
      model: typeof value.model === 'string' ? value.model : null,
      version: typeof value.version === 'string' ? value.version : null,
      backtest: value.backtest === true,
      at: value.at,
    };
  }
  return null;
}

/** Publishes updates to every server process (one pipeline), or in-process without Redis. */
export async function publishPredictionUpdates(
  redis: Redis | null,
  updates: PredictionUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  if (!redis) {
    for (const update of updates) appendLocally(update);
    return;
  }
  const channel = predictionUpdatesChannel(redis);
  const publish = UPDATE_SCRIPTS.on(redis);
  await Promise.all(
    updates.map((update) =>
      publish.f1PublishPredictionUpdate(
        streamKey(update),
        KEPT_PER_RACE,
        JSON.stringify(update),
        KEPT_FOR_MS,
        channel,
      ),
    ),
  );
}

/** The race's events after `lastEventId`, oldest first (at most what is kept). */
export async function predictionUpdatesSince(
  redis: Redis | null,
  race: { season: number; round: number },
  lastEventId: string,
): Promise<PredictionUpdateEvent[]> {
  if (!redis) {
    return (localLog.get(streamKey(race)) ?? []).filter((event) => isAfter(event.id, lastEventId));
  }
  const entries = await redis.xrange(streamKey(race), `(${lastEventId}`, '+');
  const events: PredictionUpdateEvent[] = [];
  for (const [id, fields] of entries) {
    const update = parsePredictionUpdate(fields[1] ?? '');
    if (update) events.push({ id, update });
  }
  return events;
}
