import { expect, test } from 'bun:test';
import { ApiKeyCache } from './api-key-cache.ts';

test('a verification is trusted for its window, then forgotten', () => {
  let now = 1_000;
  const cache = new ApiKeyCache(5, { now: () => now });
  cache.set('h1', { id: 1, role: 'ml_service' });
  expect(cache.get('h1')).toEqual({ id: 1, role: 'ml_service' });
  now += 4_999;
  expect(cache.get('h1')).toBeDefined();
  now += 1;
  expect(cache.get('h1')).toBeUndefined();
  expect(cache.size).toBe(0);
  expect(cache.get('never')).toBeUndefined();
});

test('forget drops every entry of a key id; the oldest entry goes past maxEntries', () => {
  const cache = new ApiKeyCache(60, { maxEntries: 2 });
  cache.set('a', { id: 1, role: 'user' });
  cache.set('b', { id: 2, role: 'user' });
  cache.set('a', { id: 1, role: 'user' }); // refreshed: now the newest
  cache.set('c', { id: 3, role: 'admin' });
  expect(cache.get('b')).toBeUndefined();
  expect(cache.get('a')).toBeDefined();
  expect(cache.get('c')).toBeDefined();
  cache.forget(1);
  expect(cache.get('a')).toBeUndefined();
  expect(cache.size).toBe(1);
});

test('a window of 0 keeps nothing', () => {
  const cache = new ApiKeyCache(0);
  cache.set('a', { id: 1, role: 'user' });
  expect(cache.enabled).toBe(false);
  expect(cache.get('a')).toBeUndefined();
});
