import { describe, expect, test } from 'bun:test';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { batchUrl, trpcUrl } from '@f1/testkit/http';
import { freshDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { responseKey } from './pipeline.ts';

const key = (url: string, init?: RequestInit) => responseKey(new Request(url, init));

describe('responseKey: which requests the response cache looks up', () => {
  test('an anonymous GET of cacheable procedures, keyed by path and query', () => {
    const url = trpcUrl('standings.drivers', { season: 2024 });
    expect(key(url)).toBe(url.slice('http://test.local'.length));
    expect(key(url.replace('test.local', 'other.host:8080'))).toBe(key(url));
    // Credentials do not change the key: a principal is answered the anonymous bytes (checked first).
    expect(key(url, { headers: { authorization: 'Bearer t' } })).toBe(key(url));
    expect(key(url, { headers: { 'x-api-key': 'k' } })).toBe(key(url));
    expect(
      key(
        batchUrl([
          ['races.calendar', { season: 2024 }],
          ['drivers.list', {}],
        ]),
      ),
    ).toStartWith('/trpc/races.calendar,drivers.list?batch=1');
  });

  test('never for uncacheable procedures, batches with one, or other methods', () => {
    expect(key(trpcUrl('health'))).toBeNull();
    expect(key(trpcUrl('nope.nothing'))).toBeNull();
    expect(
      key(
        batchUrl([
          ['races.calendar', { season: 2024 }],
          ['health', undefined],
        ]),
      ),
    ).toBeNull();
    const url = trpcUrl('standings.drivers', { season: 2024 });
    expect(key(url, { method: 'POST' })).toBeNull();
    expect(key(url, { headers: { 'trpc-accept': 'application/jsonl' } })).toBeNull();
    expect(key('http://test.local/api/v1/drivers')).toBeNull();
  });
});

describe('a streamed request for a cached URL', () => {
  test('gets tRPC’s streamed answer, not the cached JSON bytes', async () => {
    const database = await freshDatabase('pglite');
    try {
      await seedReadFixtures(database.db);
      const app = testApp(testServices({ database }));
      const url = batchUrl([['standings.drivers', { season: MINI_SEASON }]]);
      const cached = await (await app.handle(new Request(url))).text();
      await app.handle(new Request(url)); // now served from the response cache
      const streamed = await app.handle(
        new Request(url, { headers: { 'trpc-accept': 'application/jsonl' } }),
      );
      const body = await streamed.text();
      expect(body).not.toBe(cached);
      expect(body.trim().split('\n').length).toBeGreaterThan(1); // JSON lines
      expect(streamed.headers.get('cache-control')).toBe('no-store');
    } finally {
      await database.close();
    }
  }, 30_000);
});
