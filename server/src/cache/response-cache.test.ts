/**
 * The response cache's size budget counts the compressed variants an entry gains after it was stored
 * (http/public-get.ts builds them on the first request per encoding), not only its identity bytes.
 */
import { describe, expect, test } from 'bun:test';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '@f1/core/logger';
import { type PublicGet, publicGetKey, respondPublic } from '../http/public-get.ts';
import type { Services } from '../services.ts';
import { RequestTrace } from './request-trace.ts';
import { ResponseCache } from './response-cache.ts';

/** A JSON answer of about `bytes` (hex: compresses to about half). */
const jsonOf = (bytes: number, seed: string) =>
  JSON.stringify({ seed, rows: randomBytes(bytes / 2).toString('hex') });

function harness(maxBytes: number) {
  const responses = new ResponseCache(null, silentLogger, () => true, { maxBytes });
  const services = { cache: { responses } } as unknown as Services;
  const spec: PublicGet = {
    key: publicGetKey,
    gate: async () => [],
    compute: async (request, trace) => {
      trace.record(['drivers' as never], '1', 60_000);
      const body = new TextEncoder().encode(jsonOf(4_000, new URL(request.url).pathname));
      const headers = new Headers({
        'content-type': 'application/json',
        'cache-control': 'public, max-age=60',
      });
      return { status: 200, headers, body };
    },
  };
  const get = (path: string, encoding?: string) =>
    respondPublic(
      services,
      new Request(`http://test.local${path}`, {
        headers: encoding ? { 'accept-encoding': encoding } : {},
      }),
      spec,
    );
  return { responses, get };
}

describe('response cache size budget', () => {
  test('a stored entry counts its identity bytes plus each compressed variant added later', async () => {
    const { responses, get } = harness(1024 * 1024);
    const plain = await (await get('/a')).arrayBuffer();
    expect(responses.bytes).toBe(plain.byteLength);
    const br = await (await get('/a', 'br')).arrayBuffer();
    expect(br.byteLength).toBeLessThan(plain.byteLength);
    expect(responses.bytes).toBe(plain.byteLength + br.byteLength);
    await get('/a', 'br'); // a known variant adds nothing
    await get('/a', 'gzip');
    expect(responses.bytes).toBeGreaterThan(plain.byteLength + br.byteLength);
  });

  test('an entry stored by a compressed request counts the variant it was sent', async () => {
    const { responses, get } = harness(1024 * 1024);
    const gz = await (await get('/b', 'gzip')).arrayBuffer();
    const plain = await (await get('/b')).arrayBuffer();
    expect(responses.bytes).toBe(plain.byteLength + gz.byteLength);
  });

  test('variants added to several entries evict the least recently used one', async () => {
    // Room for three identity bodies (~4 KiB each) but not for three plus their br variants.
    const { responses, get } = harness(13_000);
    for (const path of ['/1', '/2', '/3']) await get(path);
    expect(responses.size).toBe(3);
    for (const path of ['/2', '/3']) await get(path, 'br');
    expect(responses.size).toBe(2);
    expect(responses.local('/1')).toBeUndefined();
    expect(responses.local('/3')).toBeDefined();
    expect(responses.bytes).toBeLessThanOrEqual(13_000);
  });

  test('grow ignores a key that now holds another entry', () => {
    const responses = new ResponseCache(null, silentLogger, () => true);
    const trace = new RequestTrace();
    trace.record(['drivers' as never], '1', 60_000);
    const body = new Uint8Array(10);
    responses.store('/k', { body, headers: [], etag: '"e"' }, { trace, epoch: responses.epoch });
    const stale = { body, headers: [], etag: '"e"', tags: new Set<string>() };
    responses.variantAdded('/k', stale, 100);
    expect(responses.bytes).toBe(10);
  });
});
