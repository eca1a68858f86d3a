import { describe, expect, test } from 'bun:test';
import { responseKey } from './pipeline.ts';
import { batchUrl, trpcUrl } from './testing.ts';

const key = (url: string, init?: RequestInit) => responseKey(new Request(url, init));

describe('responseKey: which requests the response cache looks up', () => {
  test('an anonymous GET of cacheable procedures, keyed by path and query', () => {
    const url = trpcUrl('standings.drivers', { season: 2024 });
    expect(key(url)).toBe(url.slice('http://test.local'.length));
    expect(key(url.replace('test.local', 'other.host:8080'))).toBe(key(url));
    expect(
      key(
        batchUrl([
          ['races.calendar', { season: 2024 }],
          ['drivers.list', {}],
        ]),
      ),
    ).toStartWith('/trpc/races.calendar,drivers.list?batch=1');
  });

  test('never for uncacheable procedures, batches with one, credentials or other methods', () => {
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
    expect(key(url, { headers: { authorization: 'Bearer t' } })).toBeNull();
    expect(key(url, { headers: { 'x-api-key': 'k' } })).toBeNull();
    expect(key(url, { method: 'POST' })).toBeNull();
    expect(key('http://test.local/api/v1/drivers')).toBeNull();
  });
});
