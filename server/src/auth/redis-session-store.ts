/**
 * Sessions in Redis. Layout (under the connection's key prefix):
 *   auth:session:<sid>        hash  user, created, seen, expires (ms), ua, ip, hash (current refresh token)
 *   auth:session:<sid>:used   set   SHA-256 of every refresh token already exchanged (reuse detection)
 *   auth:user-sessions:<uid>  set   the user's session ids (for listing and logout-all)
 * All keys of a session expire together, `ttlSeconds` after its last refresh. Rotation, touch and revoke
 * are Lua scripts, so two concurrent refreshes with one token can never both succeed.
 * Every Redis failure surfaces as `SessionStoreUnavailableError`: callers fail closed.
 */

import type { CallersOf } from '@f1/core/redis-scripts';
import type { Redis } from 'ioredis';
import { newRefreshToken, newSessionId, refreshTokenSession, sha256 } from './secrets.ts';
import { SESSION_SCRIPTS } from './session-scripts.ts';
import {
  type RotateResult,
  type SessionClient,
  type SessionRecord,
  type SessionStore,
  SessionStoreUnavailableError,
} from './session-store.ts';

const sessionKey = (id: string) => `auth:session:${id}`;
const usedKey = (id: string) => `auth:session:${id}:used`;
const indexKey = (userId: number) => `auth:user-sessions:${userId}`;

function toRecord(id: string, fields: Record<string, string>): SessionRecord | null {
  if (!fields.user) return null;
  return {
    id,
    userId: Number(fields.user),
    createdAt: new Date(Number(fields.created)),
    lastSeenAt: new Date(Number(fields.seen)),
    expiresAt: new Date(Number(fields.expires)),
    userAgent: fields.ua || null,
    ip: fields.ip || null,
  };
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] ?? ''] = flat[i + 1] ?? '';
  return out;
}

export class RedisSessionStore implements SessionStore {
  readonly backend = 'redis';
  private readonly scripts: CallersOf<typeof SESSION_SCRIPTS>;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {
    this.scripts = SESSION_SCRIPTS.on(redis);
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new SessionStoreUnavailableError('session store unavailable', { cause: error });
    }
  }

  create(userId: number, client: SessionClient) {
    return this.guard(async () => {
      const id = newSessionId();
      const refreshToken = newRefreshToken(id);
      const now = Date.now();
      const expires = now + this.ttlSeconds * 1000;
      await this.redis
        .multi()
        .hset(sessionKey(id), {
          user: String(userId),
          created: String(now),
          seen: String(now),
          expires: String(expires),
          ua: client.userAgent ?? '',
          ip: client.ip ?? '',
          hash: sha256(refreshToken),
        })
        .expire(sessionKey(id), this.ttlSeconds)
        .sadd(indexKey(userId), id)
        .expire(indexKey(userId), this.ttlSeconds)
        .exec();
      const session: SessionRecord = {
        id,
        userId,
        createdAt: new Date(now),
        lastSeenAt: new Date(now),
        expiresAt: new Date(expires),
        userAgent: client.userAgent,
        ip: client.ip,
      };
      return { session, refreshToken };
    });
  }

  rotate(refreshToken: string, client: SessionClient): Promise<RotateResult> {
    const id = refreshTokenSession(refreshToken);
    if (!id) return Promise.resolve({ status: 'invalid' });
    return this.guard(async () => {
      const next = newRefreshToken(id);
      const [status, ...rest] = await this.scripts.f1SessionRotate(
        sessionKey(id),
        usedKey(id),
        sha256(refreshToken),
        sha256(next),
        Date.now(),
        this.ttlSeconds,
        client.userAgent ?? '',
        client.ip ?? '',
      );
      if (status === 'reused') {
        const userId = Number(rest[0]);
        await this.redis.srem(indexKey(userId), id);
        return { status: 'reused', sessionId: id, userId };
      }
      const session = status === 'rotated' ? toRecord(id, pairs(rest)) : null;
      if (!session) return { status: 'invalid' };
      // Keep the index alive at least as long as its newest session.
      await this.redis.expire(indexKey(session.userId), this.ttlSeconds);
      return { status: 'rotated', session, refreshToken: next };
    });
  }

  touch(sessionId: string, userId: number): Promise<boolean> {
    return this.guard(
      async () =>
        (await this.scripts.f1SessionTouch(sessionKey(sessionId), userId, Date.now())) === 1,
    );
  }

  list(userId: number): Promise<SessionRecord[]> {
    return this.guard(async () => {
      const ids = await this.redis.smembers(indexKey(userId));
      if (!ids.length) return [];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(sessionKey(id));
      const replies = (await pipeline.exec()) ?? [];
      const sessions: SessionRecord[] = [];
      const gone: string[] = [];
      ids.forEach((id, i) => {
        const fields = replies[i]?.[1] as Record<string, string> | undefined;
        const record = fields ? toRecord(id, fields) : null;
        if (record && record.userId === userId) sessions.push(record);
        else gone.push(id);
      });
      // Expired sessions leave their id in the index; tidy up while we are here.
      if (gone.length) await this.redis.srem(indexKey(userId), ...gone);
      return sessions.sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
    });
  }

  revoke(userId: number, sessionId: string): Promise<boolean> {
    return this.guard(
      async () =>
        (await this.scripts.f1SessionRevoke(
          sessionKey(sessionId),
          usedKey(sessionId),
          indexKey(userId),
          userId,
          sessionId,
        )) === 1,
    );
  }

  revokeAll(userId: number): Promise<number> {
    return this.guard(async () => {
      const ids = await this.redis.smembers(indexKey(userId));
      if (!ids.length) return 0;
      const [[, deleted] = [null, 0]] =
        (await this.redis
          .multi()
          .del(...ids.map(sessionKey))
          .del(...ids.map(usedKey), indexKey(userId))
          .exec()) ?? [];
      return Number(deleted);
    });
  }
}
