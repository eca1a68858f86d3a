/**
 * Sessions (one per login, also the refresh-token family) and the contract both stores implement:
 * Redis in production (`./redis-session-store.ts`), an in-process map when no Redis is configured
 * (`./memory-session-store.ts`, one server process only).
 *
 * A session lives `F1_JWT_REFRESH_TOKEN_EXPIRE_DAYS` from its last refresh. Its refresh token is rotated
 * on every use; the hashes of used tokens are kept, so a used token presented again is recognised as a
 * replay and the whole session is revoked (its access tokens stop working at once, since every request
 * checks `sid`).
 */
export interface SessionRecord {
  id: string;
  userId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export interface SessionClient {
  userAgent: string | null;
  ip: string | null;
}

export type RotateResult =
  | { status: 'rotated'; session: SessionRecord; refreshToken: string }
  /** A used token came back: the session was deleted. */
  | { status: 'reused'; sessionId: string; userId: number }
  /** Unknown, malformed, expired or revoked token. */
  | { status: 'invalid' };

export interface SessionStore {
  readonly backend: 'redis' | 'memory';
  create(
    userId: number,
    client: SessionClient,
  ): Promise<{ session: SessionRecord; refreshToken: string }>;
  /** Swaps a refresh token for a new one (atomically), or reports reuse / invalidity. */
  rotate(refreshToken: string, client: SessionClient): Promise<RotateResult>;
  /** True (and `lastSeenAt` updated) when the session exists and belongs to `userId`. */
  touch(sessionId: string, userId: number): Promise<boolean>;
  list(userId: number): Promise<SessionRecord[]>;
  /** Deletes one of the user's sessions; false when it was not theirs or already gone. */
  revoke(userId: number, sessionId: string): Promise<boolean>;
  /** Deletes every session of the user; returns how many there were. */
  revokeAll(userId: number): Promise<number>;
}

/** Thrown by stores when their backing service fails; authentication then fails closed. */
export class SessionStoreUnavailableError extends Error {
  override readonly name = 'SessionStoreUnavailableError';
}
