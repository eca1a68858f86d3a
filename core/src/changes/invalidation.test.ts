import { describe, expect, test } from 'bun:test';
import { testRedis } from '@f1/testkit/redis';
import { describeWithRedis } from '@f1/testkit/skip';
import { waitForRedis } from '../redis.ts';
import {
  type CacheTag,
  INVALIDATION_CHANNEL,
  InvalidationBus,
  invalidationChannel,
  TAG_VERSION_PREFIX,
  tagsFor,
} from './invalidation.ts';

describe('tagsFor', () => {
  test('a round change touches its season, standings, race and predictions, and the shared lists', () => {
    expect([...tagsFor([{ season: 2024, rounds: [5] }])].sort() as string[]).toEqual(
      [
        'circuits',
        'drivers',
        'predictions:2024:5',
        'race:2024:5',
        'races',
        'ratings',
        'season:2024',
        'standings:2024',
        'teams',
      ].sort(),
    );
  });
  test('a season-wide change has no round tags but moves the season schedule', () => {
    const tags = tagsFor([{ season: 2023 }]);
    expect(tags.filter((t) => t.startsWith('race:'))).toEqual([]);
    expect(tags).toContain('schedule:2023');
    expect(tagsFor([{ season: 2023, rounds: [1] }])).not.toContain('schedule:2023');
  });
});

describe('invalidate without Redis', () => {
  test('notifies in-process listeners, and an empty change notifies nobody', async () => {
    const bus = new InvalidationBus(null);
    const seen: CacheTag[][] = [];
    const off = bus.onInvalidate((tags) => seen.push(tags));
    await bus.invalidate([]);
    await bus.invalidate(['season:2024']);
    off();
    await bus.invalidate(['season:2025']);
    expect(seen).toEqual([['season:2024']]);
  });

  test('two buses in one process never hear each other (no module-global listeners)', async () => {
    const a = new InvalidationBus(null);
    const b = new InvalidationBus(null);
    const heardA: CacheTag[][] = [];
    const heardB: CacheTag[][] = [];
    a.onInvalidate((tags) => heardA.push(tags));
    b.onInvalidate((tags) => heardB.push(tags));
    await a.invalidate(['teams']);
    b.deliverLocally(['drivers']);
    expect(heardA).toEqual([['teams']]);
    expect(heardB).toEqual([['drivers']]);
  });
});

describeWithRedis('invalidate with Redis', () => {
  test('bumps each tag version once and publishes the tags to other processes', async () => {
    const redis = await testRedis();
    const subscriber = redis.duplicate();
    try {
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_channel, message) => resolve(message)),
      );
      await waitForRedis(subscriber);
      await subscriber.subscribe(invalidationChannel(redis));
      expect(invalidationChannel(redis)).toBe(`${redis.prefix}${INVALIDATION_CHANNEL}`);
      const bus = new InvalidationBus(redis);
      const local: CacheTag[][] = [];
      bus.onInvalidate((tags) => local.push(tags));
      await bus.invalidate(['season:2024', 'race:2024:5']);
      await bus.invalidate(['season:2024']);
      expect(local).toEqual([['season:2024', 'race:2024:5'], ['season:2024']]);
      expect(await redis.get(`${TAG_VERSION_PREFIX}season:2024`)).toBe('2');
      expect(await redis.get(`${TAG_VERSION_PREFIX}race:2024:5`)).toBe('1');
      expect(JSON.parse(await received)).toEqual(['season:2024', 'race:2024:5']);
    } finally {
      subscriber.disconnect();
      redis.disconnect();
    }
  });

  test('fails loudly when Redis is unreachable (after dropping local copies)', async () => {
    const { createRedis } = await import('../redis.ts');
    const down = createRedis('redis://127.0.0.1:1');
    down.on('error', () => {});
    try {
      const bus = new InvalidationBus(down);
      const local: CacheTag[][] = [];
      bus.onInvalidate((tags) => local.push(tags));
      await expect(bus.invalidate(['teams'])).rejects.toThrow();
      expect(local).toEqual([['teams']]);
    } finally {
      down.disconnect();
    }
  });
});
