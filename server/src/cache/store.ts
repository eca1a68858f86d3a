/**
 * Where the query cache keeps serialized answers. Keys embed the versions of the tags an answer depends
 * on (`<base>@<v1>.<v2>`): `invalidate()` bumps a version and so orphans exactly the dependent entries,
 * which then age out by TTL. Nothing is ever scanned or deleted by pattern.
 */
import type { CacheTag } from '@f1/core/changes/invalidation';

export interface VersionedRead {
  /** The current versions of the tags, joined with `.` in the order given. */
  versions: string;
  /** The entry stored at those versions, or null. */
  value: string | null;
  /** Remaining lifetime of the entry in milliseconds (0 when there is none). */
  ttlMs: number;
}

export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  /** Reads the tag versions and the entry at those versions, in one round trip. */
  read(base: string, tags: readonly CacheTag[]): Promise<VersionedRead>;
  /** Stores an entry at the versions a previous `read` returned, in one round trip (SET … EX). */
  write(base: string, versions: string, value: string, ttlSeconds: number): Promise<void>;
}

export const QUERY_KEY_PREFIX = 'f1:q:';

export const versionedKey = (base: string, versions: string) =>
  `${QUERY_KEY_PREFIX}${base}@${versions}`;
