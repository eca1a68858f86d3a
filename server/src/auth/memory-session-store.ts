/**
 * The in-process session store used when no Redis is configured. Same behaviour as the Redis store
 * (rotation, reuse detection, TTL), but sessions live in this process only: fine for one server
 * process, wrong for several (main.ts logs that at start-up).
 */
import { newRefreshToken, newSessionId, refreshTokenSession, sha256 } from './secrets.ts';
import type { RotateResult, SessionClient, SessionRecord, SessionStore } from './session-store.ts';

interface Entry {
  record: SessionRecord;
  tokenHash: string;
  usedHashes: Set<string>;
}

export class MemorySessionStore implements SessionStore {
  readonly backend = 'memory';
  private readonly sessions = new Map<string, Entry>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private live(sessionId: string): Entry | null {
    const entry = this.sessions.get(sessionId);
    if (!entry) return null;
    if (entry.record.expiresAt.getTime() <= this.now()) {
      this.sessions.delete(sessionId);
      return null;
    }
    return entry;
  }

  async create(userId: number, client: SessionClient) {
    const id = newSessionId();
    const refreshToken = newRefreshToken(id);
    const now = this.now();
    const record: SessionRecord = {
      id,
      userId,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + this.ttlSeconds * 1000),
      userAgent: client.userAgent,
      ip: client.ip,
    };
    this.sessions.set(id, { record, tokenHash: sha256(refreshToken), usedHashes: new Set() });
    return { session: { ...record }, refreshToken };
  }

  async rotate(refreshToken: string, client: SessionClient): Promise<RotateResult> {
    const sessionId = refreshTokenSession(refreshToken);
    const entry = sessionId ? this.live(sessionId) : null;
    if (!sessionId || !entry) return { status: 'invalid' };
    const presented = sha256(refreshToken);
    if (presented === entry.tokenHash) {
      const next = newRefreshToken(sessionId);
      const now = this.now();
      entry.usedHashes.add(presented);
      entry.tokenHash = sha256(next);
      entry.record = {
        ...entry.record,
        lastSeenAt: new Date(now),
        expiresAt: new Date(now + this.ttlSeconds * 1000),
        userAgent: client.userAgent,
        ip: client.ip,
      };
      return { status: 'rotated', session: { ...entry.record }, refreshToken: next };
    }
    if (entry.usedHashes.has(presented)) {
      this.sessions.delete(sessionId);
      return { status: 'reused', sessionId, userId: entry.record.userId };
    }
    return { status: 'invalid' };
  }

  async touch(sessionId: string, userId: number): Promise<boolean> {
    const entry = this.live(sessionId);
    if (!entry || entry.record.userId !== userId) return false;
    entry.record.lastSeenAt = new Date(this.now());
    return true;
  }

  async list(userId: number): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (const id of [...this.sessions.keys()]) {
      const entry = this.live(id);
      if (entry?.record.userId === userId) out.push({ ...entry.record });
    }
    return out.sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  }

  async revoke(userId: number, sessionId: string): Promise<boolean> {
    const entry = this.live(sessionId);
    if (!entry || entry.record.userId !== userId) return false;
    this.sessions.delete(sessionId);
    return true;
  }

  async revokeAll(userId: number): Promise<number> {
    const mine = await this.list(userId);
    for (const session of mine) this.sessions.delete(session.id);
    return mine.length;
  }
}
