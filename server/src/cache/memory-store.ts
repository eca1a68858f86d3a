/**
 * The in-process stand-in for Redis when none is configured (one server process only). It keeps the
 * same versioned-key model: local tag versions, bumped by the process's invalidation bus, and an LRU
 * of entries.
 */
import type { CacheTag, InvalidationBus } from '@f1/core/changes/invalidation';
import { Lru } from './lru.ts';
import { type CacheStore, type VersionedRead, versionedKey } from './store.ts';

export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  readonly #versions = new Map<string, number>();
  readonly #entries: Lru<string>;
  readonly #unsubscribe: () => void;

  constructor(bus: InvalidationBus, options: { maxEntries?: number; maxBytes?: number } = {}) {
    this.#entries = new Lru({
      maxEntries: options.maxEntries ?? 5_000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    });
    this.#unsubscribe = bus.onInvalidate((tags) => {
      for (const tag of tags) this.#versions.set(tag, (this.#versions.get(tag) ?? 0) + 1);
    });
  }

  async read(base: string, tags: readonly CacheTag[]): Promise<VersionedRead> {
    const versions = tags.map((tag) => this.#versions.get(tag) ?? 0).join('.');
    const key = versionedKey(base, versions);
    const value = this.#entries.get(key) ?? null;
    return { versions, value, ttlMs: value === null ? 0 : this.#entries.ttlMs(key) };
  }

  async write(base: string, versions: string, value: string, ttlSeconds: number): Promise<void> {
    this.#entries.set(versionedKey(base, versions), value, {
      ttlMs: ttlSeconds * 1000,
      size: value.length,
    });
  }

  /** Forgets every entry (invalidations may have been missed). */
  clear(): void {
    this.#entries.clear();
  }

  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }
}
