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

test('a key expiring inside the window is trusted only until its own expiry', () => {
  let now = 1_000;
  const cache = new ApiKeyCache(5, { now: () => now });
  cache.set('soon', { id: 1, role: 'ml_service', expiresAt: new Date(now + 1_000) });
  cache.set('later', { id: 2, role: 'ml_service', expiresAt: new Date(now + 60_000) });
  cache.set('never', { id: 3, role: 'ml_service', expiresAt: null });
  now += 999;
  expect(cache.get('soon')).toEqual({ id: 1, role: 'ml_service' });
  now += 1;
  expect(cache.get('soon')).toBeUndefined();
  // A later expiry (or none) leaves the configured window in charge.
  now = 1_000 + 4_999;
  expect(cache.get('later')).toBeDefined();
  expect(cache.get('never')).toBeDefined();
  now += 1;
  expect(cache.get('later')).toBeUndefined();
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
