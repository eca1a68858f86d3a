/**
 * Verified API keys, trusted in-process for a few seconds (F1_API_KEY_CACHE_SECONDS, default 5), so an
 * ML client reading at thousands of requests a second does not turn each one into a database lookup.
 *
 * Only successful verifications are kept, keyed by the key's SHA-256 (the key itself is never held),
 * each for at most the configured window, and never past the key's own `expires_at`: a key revoked or expired elsewhere (another server process,
 * `bun run admin revoke-api-key`) stops working within that window. A revocation through this process
 * forgets the key at once (`forget`). Unknown, revoked and malformed keys are never cached: each such
 * request asks the database, as before. Bounded: past `maxEntries` the oldest entry goes.
 */
import type { Role } from '@f1/db/schema';

export interface VerifiedKey {
  id: number;
  role: Role;
}

interface Entry extends VerifiedKey {
  expiresAt: number;
}

export class ApiKeyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(ttlSeconds: number, options: { maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.#ttlMs > 0;
  }

  /** The key verified under `hash` within the window, or undefined (ask the database). */
  get(hash: string): VerifiedKey | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(hash);
      return undefined;
    }
    return { id: entry.id, role: entry.role };
  }

  /**
   * Remembers a key the database just verified, until the window ends or the key itself expires
   * (`expiresAt`), whichever comes first.
   */
  set(hash: string, key: VerifiedKey & { expiresAt?: Date | null }): void {
    if (!this.enabled) return;
    this.#entries.delete(hash);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const windowEnd = this.#now() + this.#ttlMs;
    const expiresAt = key.expiresAt ? Math.min(windowEnd, key.expiresAt.getTime()) : windowEnd;
    this.#entries.set(hash, { id: key.id, role: key.role, expiresAt });
  }

  /** Forgets the key with this id (revoked here: it must not be trusted for the rest of its window). */
  forget(id: number): void {
    for (const [hash, entry] of this.#entries) if (entry.id === id) this.#entries.delete(hash);
  }

  get size(): number {
    return this.#entries.size;
  }
}
