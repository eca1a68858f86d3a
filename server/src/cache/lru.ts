/**
 * A small LRU map with per-entry expiry and a size budget. A `Map` keeps insertion order, so the first
 * key is the least recently used; a hit moves its key to the end.
 */
export interface LruOptions {
  maxEntries: number;
  /** Budget in caller-defined units (bytes for the response cache); 0 = unbounded. */
  maxSize?: number;
}

interface Slot<V> {
  value: V;
  expiresAt: number;
  size: number;
}

export class Lru<V> {
  readonly #slots = new Map<string, Slot<V>>();
  readonly #maxEntries: number;
  readonly #maxSize: number;
  #size = 0;

  constructor(options: LruOptions) {
    this.#maxEntries = options.maxEntries;
    this.#maxSize = options.maxSize ?? 0;
  }

  get(key: string, now = Date.now()): V | undefined {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    this.#slots.delete(key);
    this.#slots.set(key, slot);
    return slot.value;
  }

  /** Remaining lifetime of `key` in milliseconds (0 when absent or expired). */
  ttlMs(key: string, now = Date.now()): number {
    const slot = this.#slots.get(key);
    return slot ? Math.max(0, slot.expiresAt - now) : 0;
  }

  set(key: string, value: V, options: { ttlMs: number; size?: number }): void {
    const size = options.size ?? 0;
    if (this.#maxSize && size > this.#maxSize) return;
    this.delete(key);
    this.#slots.set(key, { value, expiresAt: Date.now() + options.ttlMs, size });
    this.#size += size;
    this.#evict();
  }

  /**
   * Adds `by` to the accounted size of `key` while it still holds `value` (something was added to
   * it in place), evicting the least recently used entries if that exceeds the budget.
   */
  grow(key: string, value: V, by: number): void {
    const slot = this.#slots.get(key);
    if (!slot || slot.value !== value || by <= 0) return;
    slot.size += by;
    this.#size += by;
    this.#evict();
  }

  #evict(): void {
    while (
      this.#slots.size > this.#maxEntries ||
      (this.#maxSize > 0 && this.#size > this.#maxSize)
    ) {
      const oldest = this.#slots.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (!slot) return false;
    this.#size -= slot.size;
    return this.#slots.delete(key);
  }

  /** Deletes every entry whose value matches. */
  deleteWhere(predicate: (value: V, key: string) => boolean): number {
    let deleted = 0;
    for (const [key, slot] of this.#slots) {
      if (predicate(slot.value, key) && this.delete(key)) deleted++;
    }
    return deleted;
  }

  clear(): void {
    this.#slots.clear();
    this.#size = 0;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The accounted size of all entries (bytes for the response cache). */
  get bytes(): number {
    return this.#size;
  }
}
