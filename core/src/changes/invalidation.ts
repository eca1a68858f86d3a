/**
 * The invalidation bus: how "these cache tags are stale" reaches every cache of every process. One
 * instance per process, made at the composition root (the server's `Services`, the jobs' context) and
 * handed both to the caches that listen and to the data-change pipeline that publishes; nothing here
 * is module-global, so two buses in one process never hear each other.
 *
 * Each tag has a version counter in Redis (`f1:tagv:<tag>`). Cache keys embed the current versions of
 * the tags they depend on, so bumping a version orphans exactly the dependent entries (they age out by
 * TTL) without any `KEYS`/`SCAN`. A message on `INVALIDATION_CHANNEL` tells the in-process caches of every
 * server process to drop their copies at once. Without Redis, `peers` (`pg_notify` through the
 * database: peer-messages.ts) carry the same messages to every server listening on it (the embedded
 * database's owner, or each server on one PostgreSQL); with neither, only this bus's own listeners
 * hear of it.
 */
import type { Redis } from '../redis.ts';
import { jsonArrayMessages, type PeerPublisher, parseJsonArray } from './peer-messages.ts';

export const INVALIDATION_CHANNEL = 'f1:invalidate';
export const TAG_VERSION_PREFIX = 'f1:tagv:';

/**
 * The pub/sub channel on this connection. ioredis prefixes keys but not channels; prefixing the channel
 * the same way keeps processes that share a Redis under different prefixes (parallel test runs) apart.
 */
export function invalidationChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}${INVALIDATION_CHANNEL}`;
}

/** What a cached answer depends on. */
export type CacheTag =
  | `season:${number}`
  | `schedule:${number}`
  | `race:${number}:${number}`
  | `standings:${number}`
  | `predictions:${number}:${number}`
  | 'drivers'
  | 'teams'
  | 'circuits'
  | 'ratings'
  | 'races';

/** Seasons/rounds whose ingested data changed (the unit `tagsFor` maps to tags). */
export interface SeasonChange {
  season: number;
  /** Rounds whose data changed; omitted when the whole season (e.g. its schedule) changed. */
  rounds?: number[];
}

/**
 * The tags a change to these seasons/rounds touches. `season:<s>` (anything in the season: its calendar)
 * and `races` (what `races.next`/`races.last` see) move on every change; `race:<s>:<r>` only for the
 * rounds named, and `schedule:<s>` only for a season-wide change, which may touch any round.
 */
export function tagsFor(changes: SeasonChange[]): CacheTag[] {
  const tags = new Set<CacheTag>(['drivers', 'teams', 'circuits', 'ratings', 'races']);
  for (const { season, rounds } of changes) {
    tags.add(`season:${season}`);
    tags.add(`standings:${season}`);
    if (!rounds) tags.add(`schedule:${season}`);
    for (const round of rounds ?? []) {
      tags.add(`race:${season}:${round}`);
      tags.add(`predictions:${season}:${round}`);
    }
  }
  return [...tags];
}

/**
 * Bumps the tags' versions and publishes them to every process in one MULTI round trip (no local
 * delivery: that is the bus's). Throws if Redis is unreachable.
 */
export async function publishInvalidation(redis: Redis, tags: readonly CacheTag[]): Promise<void> {
  if (tags.length === 0) return;
  const multi = redis.multi();
  for (const tag of tags) multi.incr(`${TAG_VERSION_PREFIX}${tag}`);
  multi.publish(invalidationChannel(redis), JSON.stringify(tags));
  const results = await multi.exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed)
    throw new Error(`cache invalidation failed: ${failed?.[0]?.message ?? 'aborted'}`);
}

/** The channel of the peers' messages (a PostgreSQL `NOTIFY` channel: a plain identifier). */
export const PEER_INVALIDATION_CHANNEL = 'f1_invalidate';
/** The messages that carry `tags` to peers: JSON arrays under PostgreSQL's payload limit. */
export function invalidationMessages(tags: readonly CacheTag[], maxBytes?: number): string[] {
  return jsonArrayMessages(tags, maxBytes);
}

/** The tags of one invalidation message (Redis or peers), or null when it is not one. */
export function parseInvalidationMessage(message: string): CacheTag[] | null {
  return parseJsonArray(message, (t) => (typeof t === 'string' ? (t as CacheTag) : null));
}

/** How a bus without Redis reaches other processes' caches. */
export type InvalidationPeers = PeerPublisher;

type Listener = (tags: CacheTag[]) => void;

export class InvalidationBus {
  readonly #listeners = new Set<Listener>();

  /** `redis` null: this bus's listeners, and `peers` when given (the servers on the database). */
  constructor(
    readonly redis: Redis | null,
    private readonly peers: InvalidationPeers | null = null,
  ) {}

  /** Registers an in-process listener (the response cache and LRUs); returns an unsubscribe function. */
  onInvalidate(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs this bus's listeners; for this process's invalidations and for other processes' messages. */
  deliverLocally(tags: CacheTag[]): void {
    for (const listener of this.#listeners) listener(tags);
  }

  /**
   * Invalidates `tags` everywhere: bumps and publishes them (with Redis; else to the peers), then
   * tells this process's listeners. Throws if Redis or the peers are unreachable (local listeners have
   * still run): a caller that changed data must know other processes' caches may be stale.
   */
  async invalidate(tags: CacheTag[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      if (this.redis) await publishInvalidation(this.redis, tags);
      else if (this.peers)
        for (const message of invalidationMessages(tags)) await this.peers.publish(message);
    } finally {
      this.deliverLocally(tags);
    }
  }
}
