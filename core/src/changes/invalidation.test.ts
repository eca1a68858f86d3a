import { describe, expect, test } from 'bun:test';
import { testRedis } from '@f1/testkit/redis';
import { describeWithRedis } from '@f1/testkit/skip';
import { waitForRedis } from '../redis.ts';
import {
  type CacheTag,
  INVALIDATION_CHANNEL,
  InvalidationBus,
  invalidationChannel,
  invalidationMessages,
  parseInvalidationMessage,
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

describe('peers (no Redis: the database carries the messages)', () => {
  test('messages stay under the limit and carry every tag once, in order', () => {
    const tags = Array.from({ length: 3000 }, (_, i) => `race:2024:${i + 1}` as CacheTag);
    const messages = invalidationMessages(tags, 7_000);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(7_000);
    expect(messages.flatMap((m) => parseInvalidationMessage(m) ?? [])).toEqual(tags);
    expect(invalidationMessages([])).toEqual([]);
    expect(parseInvalidationMessage('not json')).toBeNull();
    expect(parseInvalidationMessage('[1]')).toBeNull();
  });

  test('the bus publishes to its peers and tells its own listeners, even when the peers fail', async () => {
    const published: string[] = [];
    const bus = new InvalidationBus(null, { publish: async (m) => void published.push(m) });
    const heard: CacheTag[][] = [];
    bus.onInvalidate((tags) => heard.push(tags));
    await bus.invalidate(['drivers', 'race:2024:5']);
    expect(published).toEqual(['["drivers","race:2024:5"]']);
    expect(heard).toEqual([['drivers', 'race:2024:5']]);

    const failing = new InvalidationBus(null, {
      publish: () => Promise.reject(new Error('database gone')),
    });
    const heardToo: CacheTag[][] = [];
    failing.onInvalidate((tags) => heardToo.push(tags));
    await expect(failing.invalidate(['teams'])).rejects.toThrow('database gone');
    expect(heardToo).toEqual([['teams']]);
  });
});
