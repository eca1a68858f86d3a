/**
 * Cache-aside for expensive reads. `get(spec, load)` answers from the store when an entry exists at the
 * current tag versions, otherwise loads, stores with the spec's TTL (one `SET … EX`) and returns.
 *
 * - Fail open: a store error (Redis down) is logged (at most every 30 s) and the read goes to the
 *   database; it never fails the request.
 * - Concurrent misses for the same versioned key share one load (no stampede on a cold key).
 * - Values are stored in superjson's format (see trpc/wire.ts), so Dates survive the round trip.
 */

import type { CacheTag } from '@f1/core/changes/invalidation';
import type { Logger } from '@f1/core/logger';
import * as wire from '../trpc/wire.ts';
import type { RequestTrace } from './request-trace.ts';
import type { CacheStore } from './store.ts';

export interface CacheSpec<T> {
  /** Identifies the answer: the procedure and its canonical input. */
  key: string;
  /** What the answer depends on. */
  tags: readonly CacheTag[];
  /** Seconds to keep it; a function when the lifetime depends on the value (e.g. until a race starts). */
  ttl: number | ((value: T) => number);
}

const WARN_INTERVAL_MS = 30_000;

export class QueryCache {
  readonly stats = { hits: 0, misses: 0, errors: 0 };
  readonly #inflight = new Map<string, Promise<unknown>>();
  #lastWarning = 0;

  constructor(
    readonly store: CacheStore,
    private readonly logger: Logger,
    /** Off: every read loads (and nothing is traced, so no response is cached either). */
    private readonly enabled = true,
  ) {}

  async get<T>(spec: CacheSpec<T>, load: () => Promise<T>, trace?: RequestTrace): Promise<T> {
    if (!this.enabled) return load();
    let read: Awaited<ReturnType<CacheStore['read']>>;
    try {
      read = await this.store.read(spec.key, spec.tags);
    } catch (error) {
      this.#failed(error);
      trace?.spoil();
      return load();
    }
    if (read.value !== null) {
      this.stats.hits++;
      trace?.record(spec.tags, read.versions, read.ttlMs);
      return wire.parse<T>(read.value);
    }
    this.stats.misses++;
    const flight = `${spec.key}@${read.versions}`;
    let pending = this.#inflight.get(flight) as Promise<T> | undefined;
    if (!pending) {
      pending = this.#loadAndStore(spec, read.versions, load).finally(() =>
        this.#inflight.delete(flight),
      );
      this.#inflight.set(flight, pending);
    }
    const value = await pending;
    trace?.record(spec.tags, read.versions, ttlOf(spec, value) * 1000);
    return value;
  }

  async #loadAndStore<T>(spec: CacheSpec<T>, versions: string, load: () => Promise<T>) {
    const value = await load();
    const ttl = ttlOf(spec, value);
    if (ttl > 0) {
      try {
        await this.store.write(spec.key, versions, wire.stringify(value), ttl);
      } catch (error) {
        this.#failed(error);
      }
    }
    return value;
  }

  #failed(error: unknown): void {
    this.stats.errors++;
    const now = Date.now();
    if (now - this.#lastWarning < WARN_INTERVAL_MS) return;
    this.#lastWarning = now;
    this.logger.warn('cache unavailable; reading from the database', {
      store: this.store.kind,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function ttlOf<T>(spec: CacheSpec<T>, value: T): number {
  const ttl = typeof spec.ttl === 'function' ? spec.ttl(value) : spec.ttl;
  return Math.max(0, Math.floor(ttl));
}
