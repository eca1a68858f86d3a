import { describe, expect, test } from 'bun:test';
import { Lru } from './lru.ts';

describe('Lru', () => {
  test('evicts the least recently used entry beyond maxEntries; a hit refreshes recency', () => {
    const lru = new Lru<number>({ maxEntries: 2 });
    lru.set('a', 1, { ttlMs: 60_000 });
    lru.set('b', 2, { ttlMs: 60_000 });
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3, { ttlMs: 60_000 });
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.size]).toEqual([1, 3, 2]);
  });

  test('entries expire after their TTL', () => {
    const lru = new Lru<string>({ maxEntries: 10 });
    lru.set('k', 'v', { ttlMs: 1_000 });
    const now = Date.now();
    expect(lru.get('k', now)).toBe('v');
    expect(lru.ttlMs('k', now)).toBeGreaterThan(900);
    expect(lru.get('k', now + 1_001)).toBeUndefined();
    expect(lru.size).toBe(0);
    expect(lru.ttlMs('k')).toBe(0);
  });

  test('the size budget evicts oldest first and refuses an entry larger than the budget', () => {
    const lru = new Lru<string>({ maxEntries: 100, maxSize: 10 });
    lru.set('a', 'x', { ttlMs: 60_000, size: 4 });
    lru.set('b', 'y', { ttlMs: 60_000, size: 4 });
    lru.set('c', 'z', { ttlMs: 60_000, size: 4 });
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([undefined, 'y', 'z']);
    lru.set('huge', 'w', { ttlMs: 60_000, size: 11 });
    expect(lru.get('huge')).toBeUndefined();
    lru.set('b', 'y2', { ttlMs: 60_000, size: 6 }); // replacing frees the old size first
    expect([lru.get('b'), lru.get('c')]).toEqual(['y2', 'z']);
  });

  test('deleteWhere and clear', () => {
    const lru = new Lru<{ tag: string }>({ maxEntries: 10 });
    lru.set('1', { tag: 'x' }, { ttlMs: 60_000 });
    lru.set('2', { tag: 'y' }, { ttlMs: 60_000 });
    lru.set('3', { tag: 'x' }, { ttlMs: 60_000 });
    expect(lru.deleteWhere((v) => v.tag === 'x')).toBe(2);
    expect(lru.get('2')).toEqual({ tag: 'y' });
    expect(lru.delete('missing')).toBe(false);
    lru.clear();
    expect(lru.size).toBe(0);
  });
});

describe('Lru.grow', () => {
  test('adds to an entry’s accounted size and evicts the oldest when over budget', () => {
    const lru = new Lru<string>({ maxEntries: 100, maxSize: 10 });
    lru.set('a', 'x', { ttlMs: 60_000, size: 3 });
    lru.set('b', 'y', { ttlMs: 60_000, size: 3 });
    lru.grow('b', 'y', 2);
    expect(lru.bytes).toBe(8);
    lru.grow('b', 'other', 5); // another value under the key: nothing
    expect(lru.bytes).toBe(8);
    lru.grow('b', 'y', 4); // 12 > 10: a goes
    expect([lru.get('a'), lru.get('b'), lru.bytes]).toEqual([undefined, 'y', 9]);
    lru.grow('missing', 'z', 4);
    expect(lru.bytes).toBe(9);
  });
});
