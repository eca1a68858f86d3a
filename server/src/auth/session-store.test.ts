import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { createServerRedis } from '../redis.ts';
import { MemorySessionStore } from './memory-session-store.ts';
import { RedisSessionStore } from './redis-session-store.ts';
import { type SessionStore, SessionStoreUnavailableError } from './session-store.ts';

const client = { userAgent: 'bun-test/1.0', ip: '198.51.100.7' };
const TTL = 3600;

/** The contract both stores must keep. */
function contract(name: string, make: () => SessionStore) {
  describe(`${name} session store`, () => {
    test('create → touch → list → revoke', async () => {
      const store = make();
      const { session, refreshToken } = await store.create(1, client);
      expect(refreshToken).toStartWith(`f1r_${session.id}.`);
      expect(session).toMatchObject({ userId: 1, userAgent: 'bun-test/1.0', ip: '198.51.100.7' });
      expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(TTL * 1000);
      expect(await store.touch(session.id, 1)).toBe(true);
      // Another user's id never matches the session.
      expect(await store.touch(session.id, 2)).toBe(false);
      expect(await store.touch('no-such-session', 1)).toBe(false);
      const listed = await store.list(1);
      expect(listed.map((s) => s.id)).toEqual([session.id]);
      expect(listed[0]?.lastSeenAt.getTime()).toBeGreaterThanOrEqual(session.createdAt.getTime());
      expect(await store.revoke(2, session.id)).toBe(false);
      expect(await store.revoke(1, session.id)).toBe(true);
      expect(await store.touch(session.id, 1)).toBe(false);
      expect(await store.list(1)).toEqual([]);
    });

    test('rotation hands out a new token and recognises a replayed one', async () => {
      const store = make();
      const { session, refreshToken: first } = await store.create(7, client);
      const rotated = await store.rotate(first, { userAgent: 'new-agent', ip: null });
      if (rotated.status !== 'rotated') throw new Error(`expected rotation, got ${rotated.status}`);
      expect(rotated.session).toMatchObject({ id: session.id, userId: 7, userAgent: 'new-agent' });
      expect(rotated.refreshToken).not.toBe(first);
      // A token that was never issued for this session is merely invalid: it revokes nothing.
      const forged = `f1r_${session.id}.${'A'.repeat(43)}`;
      expect(await store.rotate(forged, client)).toEqual({ status: 'invalid' });
      expect(await store.touch(session.id, 7)).toBe(true);
      // Replaying the used token revokes the family.
      expect(await store.rotate(first, client)).toEqual({
        status: 'reused',
        sessionId: session.id,
        userId: 7,
      });
      expect(await store.touch(session.id, 7)).toBe(false);
      expect(await store.rotate(rotated.refreshToken, client)).toEqual({ status: 'invalid' });
      expect(await store.list(7)).toEqual([]);
      expect(await store.rotate('garbage', client)).toEqual({ status: 'invalid' });
    });

    test('concurrent refreshes with one token: exactly one wins', async () => {
      const store = make();
      const { refreshToken } = await store.create(8, client);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.rotate(refreshToken, client)),
      );
      expect(results.filter((r) => r.status === 'rotated')).toHaveLength(1);
    });

    test('logout-all ends every session of one user only', async () => {
      const store = make();
      await store.create(3, client);
      await store.create(3, client);
      const other = await store.create(4, client);
      expect(await store.revokeAll(3)).toBe(2);
      expect(await store.list(3)).toEqual([]);
      expect(await store.revokeAll(3)).toBe(0);
      expect(await store.touch(other.session.id, 4)).toBe(true);
    });
  });
}

contract('memory', () => new MemorySessionStore(TTL));

test('memory sessions expire after the TTL, and rotation extends them', async () => {
  let now = 1_000_000;
  const store = new MemorySessionStore(60, () => now);
  const { session, refreshToken } = await store.create(1, client);
  now += 59_000;
  const rotated = await store.rotate(refreshToken, client);
  expect(rotated.status).toBe('rotated');
  now += 59_000;
  expect(await store.touch(session.id, 1)).toBe(true);
  now += 2_000;
  expect(await store.touch(session.id, 1)).toBe(false);
  expect(await store.list(1)).toEqual([]);
});

describeWithRedis('redis', () => {
  let redis: Redis & { prefix: string };
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => redis.disconnect());
  contract('redis', () => new RedisSessionStore(redis, TTL));

  test('keys carry the TTL, and an expired session is tidied out of the listing', async () => {
    const store = new RedisSessionStore(redis, TTL);
    const { session } = await store.create(21, client);
    const ttl = await redis.ttl(`auth:session:${session.id}`);
    expect(ttl).toBeGreaterThan(TTL - 5);
    expect(ttl).toBeLessThanOrEqual(TTL);
    await redis.del(`auth:session:${session.id}`);
    expect(await store.list(21)).toEqual([]);
    expect(await redis.smembers('auth:user-sessions:21')).toEqual([]);
  });
});

test('an unreachable Redis is reported as unavailable (callers fail closed)', async () => {
  const redis = createServerRedis('redis://127.0.0.1:1');
  redis.on('error', () => {});
  try {
    const store = new RedisSessionStore(redis, TTL);
    const failures = await Promise.all([
      store.touch('x', 1).catch((e: unknown) => e),
      store.create(1, client).catch((e: unknown) => e),
      store.rotate(`f1r_${'a'.repeat(22)}.${'b'.repeat(43)}`, client).catch((e: unknown) => e),
      store.list(1).catch((e: unknown) => e),
      store.revoke(1, 'x').catch((e: unknown) => e),
      store.revokeAll(1).catch((e: unknown) => e),
    ]);
    for (const failure of failures) expect(failure).toBeInstanceOf(SessionStoreUnavailableError);
  } finally {
    redis.disconnect();
  }
});
