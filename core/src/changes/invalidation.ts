/**
 * The one entry point for "data changed". Ingestion (and anything else that writes F1 data) calls
 * `invalidate(...)` after it commits; every cache hangs off the tags it publishes.
 *
 * Each tag has a version counter in Redis (`f1:tagv:<tag>`). Cache keys embed the current versions of
 * the tags they depend on, so bumping a version orphans exactly the dependent entries (they age out by
 * TTL) without any `KEYS`/`SCAN`. A message on `INVALIDATION_CHANNEL` tells the in-process caches of every
 * server process to drop their copies at once. Without Redis (one process), only local listeners run.
 */
import type { Redis } from '../redis.ts';

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

export interface DataChange {
  season: number;
  /** Rounds whose data changed; omitted when the whole season (e.g. its schedule) changed. */
  rounds?: number[];
}

/**
 * The tags a change to these seasons/rounds touches. `season:<s>` (anything in the season: its calendar)
 * and `races` (what `races.next`/`races.last` see) move on every change; `race:<s>:<r>` only for the
 * rounds named, and `schedule:<s>` only for a season-wide change, which may touch any round.
 */
export function tagsFor(changes: DataChange[]): CacheTag[] {
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

type Listener = (tags: CacheTag[]) => void;
const listeners = new Set<Listener>();

/** Registers an in-process listener (the response cache and LRUs); returns an unsubscribe function. */
export function onInvalidate(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Runs local listeners; called for local invalidations and for messages from other processes. */
export function notifyLocal(tags: CacheTag[]): void {
  for (const listener of listeners) listener(tags);
}

/**
 * Invalidates `tags` everywhere: bumps their versions and publishes them in one MULTI round trip, then
 * notifies this process's listeners. Throws if Redis is configured but unreachable: a caller that
 * changed data must know its caches may be stale.
 */
export async function invalidate(redis: Redis | null, tags: CacheTag[]): Promise<void> {
  if (tags.length === 0) return;
  if (redis) {
    const multi = redis.multi();
    for (const tag of tags) multi.incr(`${TAG_VERSION_PREFIX}${tag}`);
    multi.publish(invalidationChannel(redis), JSON.stringify(tags));
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed)
      throw new Error(`cache invalidation failed: ${failed?.[0]?.message ?? 'aborted'}`);
  }
  notifyLocal(tags);
}

/** Convenience for ingestion: invalidate everything these season/round changes touch. */
export function invalidateChanges(redis: Redis | null, changes: DataChange[]): Promise<void> {
  return changes.length ? invalidate(redis, tagsFor(changes)) : Promise.resolve();
}
