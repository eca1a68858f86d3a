/**
 * Whole HTTP responses of cacheable anonymous GETs (`/trpc` and `/api/v1`), served before the procedure
 * runs (the one responder: http/public-get.ts).
 *
 * Two levels: an in-process LRU (no I/O on a hit) backed by Redis (a fresh or evicting process gets the
 * bytes in one round trip). Both are invalidated by the same tags as the query cache:
 * - L1 entries are dropped by the invalidation bus (this process's changes and, through the subscriber,
 *   other processes');
 *   L1 is only trusted while invalidations can reach it (`usable`), and no entry outlives L1_MAX_AGE_MS.
 * - L2 entries carry the versions of their tags; the read script returns an entry only while every
 *   version is still current, so a bumped version makes it invisible at once (one round trip, no scan).
 * A response computed while an invalidation arrived is not stored (`epoch`), so an answer read before
 * the change can never be cached after it.
 */

import { type CacheTag, TAG_VERSION_PREFIX } from '@f1/core/changes/invalidation';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { Lru } from './lru.ts';
import type { RequestTrace } from './request-trace.ts';
import { CACHE_SCRIPTS } from './scripts.ts';

export interface CachedResponse {
  body: Uint8Array;
  headers: [string, string][];
  etag: string;
  tags: ReadonlySet<string>;
  /**
   * What a hit sends, built on first use per encoding and audience (`br`, `gzip:private`, …): the
   * body (compressed once, never per hit) and its headers as a Headers object — a Response copies one
   * about three times faster than it builds one from pairs, and this is the hottest path of the
   * server. Held in this process only; Redis keeps the identity bytes.
   */
  variants?: Record<string, CachedVariant>;
}

/** One way of sending a cached response (see `CachedResponse.variants`). */
export interface CachedVariant {
  body: Uint8Array;
  headers: Headers;
  etag: string;
}

export const RESPONSE_KEY_PREFIX = 'f1:rc:';
/** Bounds how long a lost invalidation message could matter. */
const L1_MAX_AGE_MS = 60_000;

const NEWLINE = 0x0a;

export class ResponseCache {
  /** `misses`: lookups neither level could answer (read by /metrics). */
  readonly stats = { localHits: 0, sharedHits: 0, misses: 0, stores: 0, errors: 0 };
  readonly #l1: Lru<CachedResponse>;
  #epoch = 0;
  readonly #enabled: boolean;

  constructor(
    private readonly redis: Redis | null,
    private readonly logger: Logger,
    private readonly invalidationsLive: () => boolean,
    options: { maxEntries?: number; maxBytes?: number; enabled?: boolean } = {},
  ) {
    this.#enabled = options.enabled !== false;
    this.#l1 = new Lru({
      maxEntries: options.maxEntries ?? 2_000,
      maxSize: options.maxBytes ?? 32 * 1024 * 1024,
    });
  }

  /** False while invalidations from other processes could be missed (Redis configured but down). */
  get usable(): boolean {
    return this.#enabled && (this.redis === null || this.invalidationsLive());
  }

  /** Increases with every invalidation this process hears of. */
  get epoch(): number {
    return this.#epoch;
  }

  local(key: string): CachedResponse | undefined {
    const entry = this.#l1.get(key);
    if (entry) this.stats.localHits++;
    return entry;
  }

  /** The entry from Redis (then kept locally); called after `local(key)` found nothing. */
  async shared(key: string): Promise<CachedResponse | undefined> {
    const entry = await this.#readShared(key);
    if (!entry) this.stats.misses++;
    return entry;
  }

  async #readShared(key: string): Promise<CachedResponse | undefined> {
    if (!this.redis) return undefined;
    const epoch = this.#epoch;
    try {
      const prefix = this.redis.options.keyPrefix ?? '';
      const reply = await CACHE_SCRIPTS.on(this.redis).f1ResponseRead(
        `${RESPONSE_KEY_PREFIX}${key}`,
        `${prefix}${TAG_VERSION_PREFIX}`,
      );
      if (!reply) return undefined;
      const [payload, pttl] = reply;
      const entry = decodeShared(payload);
      if (!entry) return undefined;
      this.stats.sharedHits++;
      if (epoch === this.#epoch && pttl > 1_000)
        this.#l1.set(key, entry, { ttlMs: Math.min(pttl, L1_MAX_AGE_MS), size: entry.body.length });
      return entry;
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  }

  /** Stores a response computed since `epoch` with the tag versions `trace` recorded. */
  async store(
    key: string,
    entry: Omit<CachedResponse, 'tags'>,
    context: { trace: RequestTrace; epoch: number },
  ): Promise<void> {
    const { trace, epoch } = context;
    if (!trace.storable || epoch !== this.#epoch || !this.usable) return;
    const tags = new Set<string>(trace.versions.keys());
    this.#l1.set(
      key,
      { ...entry, tags },
      { ttlMs: Math.min(trace.ttlMs, L1_MAX_AGE_MS), size: entrySize(entry) },
    );
    this.stats.stores++;
    if (!this.redis) return;
    const versions = [...trace.versions].map(([tag, version]) => `${tag}=${version}`).join(' ');
    const head = Buffer.from(`${versions}\n${JSON.stringify(entry.headers)}\n`);
    try {
      await this.redis.set(
        `${RESPONSE_KEY_PREFIX}${key}`,
        Buffer.concat([head, entry.body]),
        'PX',
        Math.floor(trace.ttlMs),
      );
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Drops local entries that depend on any of `tags`. */
  drop(tags: readonly CacheTag[]): void {
    this.#epoch++;
    this.#l1.deleteWhere((entry) => tags.some((tag) => entry.tags.has(tag)));
  }

  clear(): void {
    this.#epoch++;
    this.#l1.clear();
  }

  get size(): number {
    return this.#l1.size;
  }

  /** Bytes the in-process entries hold: identity bodies and the compressed variants built so far. */
  get bytes(): number {
    return this.#l1.bytes;
  }

  /** `entry` (under `key`) gained a variant with a body of its own: its size counts from now on. */
  variantAdded(key: string, entry: CachedResponse, bytes: number): void {
    this.#l1.grow(key, entry, bytes);
  }

  #failed(error: unknown): void {
    this.stats.errors++;
    this.logger.debug('response cache: Redis unavailable', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The identity body plus each variant body that is not the identity one (shared bodies once). */
function entrySize(entry: Omit<CachedResponse, 'tags'>): number {
  let size = entry.body.length;
  const seen = new Set<Uint8Array>([entry.body]);
  for (const variant of Object.values(entry.variants ?? {})) {
    if (seen.has(variant.body)) continue;
    seen.add(variant.body);
    size += variant.body.length;
  }
  return size;
}

/** `tag=version …\n[headers JSON]\nbody`: the layout `store` writes. */
function decodeShared(payload: Buffer): CachedResponse | undefined {
  const first = payload.indexOf(NEWLINE);
  const second = first < 0 ? -1 : payload.indexOf(NEWLINE, first + 1);
  if (second < 0) return undefined;
  const tags = new Set(
    payload
      .subarray(0, first)
      .toString('utf8')
      .split(' ')
      .map((pair) => pair.slice(0, pair.lastIndexOf('='))),
  );
  const headers = JSON.parse(payload.subarray(first + 1, second).toString('utf8')) as [
    string,
    string,
  ][];
  const etag = headers.find(([name]) => name === 'etag')?.[1];
  if (!etag) return undefined;
  return { body: new Uint8Array(payload.subarray(second + 1)), headers, etag, tags };
}
