import { afterAll, beforeAll, expect, test } from 'bun:test';
import { jobLockFenceKey, jobLockKey } from '@f1/core/job-lock';
import type { Redis } from '@f1/core/redis';
import { testRedisPair } from '@f1/testkit/redis';
import { describeWithRedis } from '@f1/testkit/skip';
import { RedisLock } from './redis-lock.ts';

describeWithRedis('RedisLock (real Redis)', () => {
  let a: Redis & { prefix: string };
  let b: Redis;
  beforeAll(async () => {
    // A second connection with the same prefix stands for a second process.
    [a, b] = await testRedisPair();
  });
  afterAll(() => {
    a.disconnect();
    b.disconnect();
  });

  test('one holder at a time; tokens increase; release lets the next one in', async () => {
    const first = await new RedisLock(a, 'job', 5_000).acquire();
    expect(first?.token).toBe(1);
    expect(await new RedisLock(b, 'job', 5_000).acquire()).toBeNull();
    expect(await first?.release()).toBe(true);
    expect(first?.signal.aborted).toBe(true);
    const second = await new RedisLock(b, 'job', 5_000).acquire();
    expect(second?.token).toBe(2);
    await second?.release();
    // The database has seen token 41 (e.g. Redis was flushed): tokens jump past it and keep growing.
    const lifted = await new RedisLock(a, 'job', 5_000).acquire({ minToken: 42 });
    expect(lifted?.token).toBe(42);
    await lifted?.release();
    expect((await new RedisLock(b, 'job', 5_000).acquire({ minToken: 3 }))?.token).toBe(43);
  });

  test('the lease and the fence sit under core/job-lock.ts keys (where /metrics reads them)', async () => {
    const lease = await new RedisLock(a, 'keys', 5_000).acquire();
    expect(await b.get(jobLockKey('keys'))).not.toBeNull();
    expect(await b.get(jobLockFenceKey('keys'))).toBe(String(lease?.token));
    expect(await new RedisLock(b, 'keys', 5_000).holder()).toBe(await b.get(jobLockKey('keys')));
    await lease?.release();
    expect(await b.get(jobLockKey('keys'))).toBeNull();
  });

  test('concurrent acquirers: exactly one wins', async () => {
    const leases = await Promise.all(
      Array.from({ length: 10 }, (_, i) => new RedisLock(i % 2 ? a : b, 'race', 5_000).acquire()),
    );
    expect(leases.filter(Boolean).length).toBe(1);
    await Promise.all(leases.map((l) => l?.release()));
  });

  test('a live holder keeps renewing past its ttl', async () => {
    // Three ttls: the key would long be gone without renewals. The ttl leaves room for a loaded
    // machine's timer delays (renewals run every ttl/3).
    const lease = await new RedisLock(a, 'renewed', 600).acquire();
    await Bun.sleep(1_800);
    expect(lease?.signal.aborted).toBe(false);
    expect(await new RedisLock(b, 'renewed', 600).acquire()).toBeNull();
    await lease?.release();
  });

  test('a dead holder’s lock expires; a late release cannot remove the successor’s lock', async () => {
    const dead = await a.set('f1:lock:orphan', 'someone-who-died', 'PX', 100);
    expect(dead).toBe('OK');
    const lock = new RedisLock(b, 'orphan', 5_000);
    expect(await lock.acquire()).toBeNull();
    await Bun.sleep(150);
    const successor = await lock.acquire();
    expect(successor).not.toBeNull();

    // A holder whose lease was taken over loses it at its next renewal and cannot release it.
    const stale = await new RedisLock(a, 'taken', 90).acquire();
    await a.set('f1:lock:taken', 'new-owner', 'PX', 5_000);
    // Its next renewal (due within 30 ms, later on a loaded machine) finds another owner.
    for (let waited = 0; !stale?.signal.aborted && waited < 5_000; waited += 10)
      await Bun.sleep(10);
    expect(stale?.signal.aborted).toBe(true);
    expect(await stale?.release()).toBe(false);
    expect(await new RedisLock(a, 'taken', 5_000).holder()).toBe('new-owner');
    await successor?.release();
  });
});
