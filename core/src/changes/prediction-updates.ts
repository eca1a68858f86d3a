/**
 * "Predictions or accuracy of a race changed" events, across server processes, resumable.
 *
 * The data-change pipeline (the one publisher) appends each event to the race's Redis stream (its
 * id: `<ms>-<seq>`, kept for 7 days, the last 1,000 per race) and publishes it on one channel, in
 * one Lua call. Every server process holds one subscriber connection (see `PredictionUpdateHub`) and
 * fans the events out to its SSE subscribers; a client that reconnects with
 * the last id it saw is first sent what it missed, read from the stream. Without Redis events are
 * delivered and kept in-process (by the `PredictionUpdateBus` instance), with ids of the same form,
 * and sent to the `peers` (database notifications: peer-messages.ts), which every server listening on
 * the database delivers on its own bus (`deliverLocally`).
 */
import type { Redis } from '../redis.ts';
import { jsonArrayMessages, type PeerPublisher, parseJsonArray } from './peer-messages.ts';
import { UPDATE_SCRIPTS } from './prediction-update-scripts.ts';

export const PREDICTION_UPDATES_CHANNEL = 'f1:prediction-updates';
/** The peers' channel (a PostgreSQL `NOTIFY` channel: a plain identifier). */
export const PEER_PREDICTION_UPDATES_CHANNEL = 'f1_prediction_updates';

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

/** The updates of one peer message (a JSON array), or null when it is not one. */
export function parsePredictionUpdates(message: string): PredictionUpdate[] | null {
  return parseJsonArray(message, toUpdate);
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

type Listener = (update: PredictionUpdate, id: string) => void;

/**
 * Where a process publishes and reads prediction updates: one instance per process, made at the
 * composition root. With Redis it appends to the race's stream and publishes; without it, it keeps
 * the events in this instance's log and delivers them to this instance's listeners (nothing global).
 */
export class PredictionUpdateBus {
  readonly #listeners = new Set<Listener>();
  readonly #log = new Map<string, PredictionUpdateEvent[]>();
  #lastId = { ms: 0, seq: 0 };

  /** `redis` null: in-process delivery, and to `peers` when given. */
  constructor(
    readonly redis: Redis | null,
    private readonly peers: PeerPublisher | null = null,
  ) {}

  /** In-process delivery of what this bus publishes without Redis (the hub listens here). */
  onLocal(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Publishes updates to every server process (one pipeline), or without Redis in-process and to the
   * peers when given.
   */
  async publish(updates: PredictionUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const redis = this.redis;
    if (!redis) {
      this.deliverLocally(updates);
      if (this.peers)
        for (const message of jsonArrayMessages(updates)) await this.peers.publish(message);
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

  /**
   * Keeps and delivers updates in this process only: what another process sent over the peers (never
   * sent on again, or two servers would echo each other's updates forever).
   */
  deliverLocally(updates: readonly PredictionUpdate[]): void {
    for (const update of updates) this.#appendLocally(update);
  }

  /** The race's events after `lastEventId`, oldest first (at most what is kept). */
  async since(
    race: { season: number; round: number },
    lastEventId: string,
  ): Promise<PredictionUpdateEvent[]> {
    if (!this.redis) {
      return (this.#log.get(streamKey(race)) ?? []).filter((event) =>
        isAfter(event.id, lastEventId),
      );
    }
    const entries = await this.redis.xrange(streamKey(race), `(${lastEventId}`, '+');
    const events: PredictionUpdateEvent[] = [];
    for (const [id, fields] of entries) {
      const update = parsePredictionUpdate(fields[1] ?? '');
      if (update) events.push({ id, update });
    }
    return events;
  }

  /** Keeps the update in this bus's log under a new id and delivers it to its listeners. */
  #appendLocally(update: PredictionUpdate): void {
    const ms = Date.now();
    const last = this.#lastId;
    this.#lastId = ms > last.ms ? { ms, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
    const id = `${this.#lastId.ms}-${this.#lastId.seq}`;
    const key = streamKey(update);
    const log = this.#log.get(key) ?? [];
    log.push({ id, update });
    if (log.length > KEPT_PER_RACE) log.splice(0, log.length - KEPT_PER_RACE);
    this.#log.set(key, log);
    for (const listener of this.#listeners) listener(update, id);
  }
}
