/**
 * Compression: choosing the encoding, the headers of a variant, and real requests through the app —
 * cached answers compressed once per entry and encoding (a hit compresses nothing), large uncached
 * JSON, the docs bundles and the OpenAPI document, 304 and HEAD per variant, streams left alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { seedManyDrivers, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { batchUrl, trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { issueApiKey } from '../auth/api-keys.ts';
import type { Services } from '../services.ts';
import {
  COMPRESS_MIN_BYTES,
  compressionStats,
  encodedEtag,
  isCompressibleType,
  negotiateEncoding,
  shouldCompress,
  varyOnEncoding,
} from './compression.ts';
import { addVary } from './edge-cache.ts';
import { PRIVATE_CACHE_CONTROL } from './public-get.ts';
import { StaticAsset } from './static-asset.ts';

describe('negotiateEncoding', () => {
  test.each([
    [null, null],
    ['', null],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0', null],
    ['gzip;q=0, br', 'br'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['identity', null],
    ['identity;q=1, br;q=0.5', null],
    ['identity;q=0.1, br;q=0.5', 'br'],
    ['*', 'br'],
    ['*;q=0', null],
    ['*, br;q=0', 'gzip'],
    ['deflate', null],
    ['br;q=nonsense', null],
    [' gzip ; q = 0.8 , br ; q = 0.9 ', 'br'],
  ])('%p → %p', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected as never);
    expect(negotiateEncoding(header)).toBe(expected as never); // remembered, same answer
  });
});

describe('what is compressed, and the headers of a variant', () => {
  test('types, statuses and sizes', () => {
    expect(isCompressibleType('application/json')).toBe(true);
    expect(isCompressibleType('application/json; charset=utf-8')).toBe(true);
    expect(isCompressibleType('application/problem+json')).toBe(true);
    expect(isCompressibleType('text/javascript; charset=utf-8')).toBe(true);
    expect(isCompressibleType('text/event-stream')).toBe(false);
    expect(isCompressibleType('image/png')).toBe(false);
    expect(isCompressibleType(null)).toBe(false);
    const json = new Headers({ 'content-type': 'application/json' });
    expect(shouldCompress(200, json, COMPRESS_MIN_BYTES)).toBe(true);
    expect(shouldCompress(200, json, COMPRESS_MIN_BYTES - 1)).toBe(false);
    expect(shouldCompress(204, json, 5000)).toBe(false);
    expect(shouldCompress(304, json, 5000)).toBe(false);
    const encoded = new Headers({ 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(shouldCompress(200, encoded, 5000)).toBe(false);
  });

  test('Vary keeps what is there; the ETag names the encoding', () => {
    const vary = (value?: string) => {
      const headers = new Headers(value ? { vary: value } : {});
      varyOnEncoding(headers);
      return headers.get('vary');
    };
    expect(vary()).toBe('Accept-Encoding');
    expect(vary('Origin')).toBe('Origin, Accept-Encoding');
    expect(vary('origin, accept-encoding')).toBe('origin, accept-encoding');
    expect(vary('*')).toBe('*');
    const both = new Headers({ vary: 'Accept-Encoding' });
    addVary(both, 'Origin');
    addVary(both, 'origin');
    expect(both.get('vary')).toBe('Accept-Encoding, Origin');
    expect(encodedEtag('W/"abc"', 'br')).toBe('W/"abc-br"');
    expect(encodedEtag('W/"abc"', null)).toBe('W/"abc"');
  });
});

let database: TestDatabase;
let services: Services;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
  await seedManyDrivers(database.db, 40);
  services = testServices({ database });
  app = testApp(services);
}, 30_000);
afterAll(() => database.close());

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  app.handle(new Request(url, { method, headers }));
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const decode = (encoding: string | null, body: Uint8Array) =>
  new Uint8Array(
    encoding === 'br'
      ? zlib.brotliDecompressSync(body)
      : encoding === 'gzip'
        ? zlib.gunzipSync(body)
        : body,
  );
const DRIVERS = trpcUrl('drivers.list', { limit: 50 });
const DRIVERS_KEY = DRIVERS.slice('http://test.local'.length);

describe('cached answers', () => {
  test('each encoding is compressed once per entry; hits only replay it', async () => {
    const identity = await get(DRIVERS);
    const plain = await bytes(identity);
    expect(plain.byteLength).toBeGreaterThanOrEqual(COMPRESS_MIN_BYTES);
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.headers.get('vary')).toContain('Accept-Encoding');
    expect(identity.headers.get('vary')).toContain('trpc-accept'); // tRPC's own Vary, kept
    const etag = identity.headers.get('etag') ?? '';

    for (const encoding of ['br', 'gzip'] as const) {
      const before = compressionStats.calls;
      const first = await get(DRIVERS, { 'accept-encoding': encoding });
      expect(first.headers.get('content-encoding')).toBe(encoding);
      expect(first.headers.get('etag')).toBe(encodedEtag(etag, encoding));
      const body = await bytes(first);
      expect(body.byteLength).toBeLessThan(plain.byteLength);
      expect(decode(encoding, body)).toEqual(plain);
      expect(compressionStats.calls).toBe(before + 1);
      // The next hits with the same encoding compress nothing.
      const hits = services.cache.responses.stats.localHits;
      for (let i = 0; i < 3; i++) {
        const again = await get(DRIVERS, { 'accept-encoding': encoding });
        expect(await bytes(again)).toEqual(body);
      }
      expect(compressionStats.calls).toBe(before + 1);
      expect(services.cache.responses.stats.localHits).toBe(hits + 3);
    }
    // The entry holds the variants it was asked for.
    const entry = services.cache.responses.local(DRIVERS_KEY);
    expect(Object.keys(entry?.variants ?? {}).sort()).toEqual(['br', 'gzip', 'identity']);
  });

  test('304 per variant; HEAD gives the length of the variant it stands for', async () => {
    const br = await get(DRIVERS, { 'accept-encoding': 'br' });
    const brBody = await bytes(br);
    const brEtag = br.headers.get('etag') ?? '';
    const revalidated = await get(DRIVERS, { 'accept-encoding': 'br', 'if-none-match': brEtag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(brEtag);
    expect(revalidated.headers.get('vary')).toContain('Accept-Encoding');
    expect(revalidated.headers.get('content-encoding')).toBeNull();
    // The br ETag does not validate the identity variant.
    expect((await get(DRIVERS, { 'if-none-match': brEtag })).status).toBe(200);
    const head = await get(DRIVERS, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-encoding')).toBe('br');
    expect(head.headers.get('content-length')).toBe(String(brBody.byteLength));
    expect((await bytes(head)).byteLength).toBe(0);
  });

  test('q=0 and identity are honoured; small answers and streams go as they are', async () => {
    const refused = await get(DRIVERS, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers.get('content-encoding')).toBeNull();
    const identity = await get(DRIVERS, { 'accept-encoding': 'identity' });
    expect(identity.headers.get('content-encoding')).toBeNull();

    const small = await get(trpcUrl('drivers.get', { driverId: 'driver_a' }), {
      'accept-encoding': 'br',
    });
    expect(small.status).toBe(200);
    expect((await bytes(small)).byteLength).toBeLessThan(COMPRESS_MIN_BYTES);
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('vary') ?? '').not.toContain('Accept-Encoding');

    // An SSE subscription is handed over as a stream: were it read first, this would never return.
    const controller = new AbortController();
    const sse = await app.handle(
      new Request(trpcUrl('predictions.onUpdate', { season: 2021, round: 1 }), {
        headers: { 'accept-encoding': 'br' },
        signal: controller.signal,
      }),
    );
    expect(sse.headers.get('content-type')).toStartWith('text/event-stream');
    expect(sse.headers.get('content-encoding')).toBeNull();
    controller.abort();
    await sse.body?.cancel().catch(() => {});

    const streamed = await get(batchUrl([['drivers.list', { limit: 50 }]]), {
      'accept-encoding': 'br',
      'trpc-accept': 'application/jsonl',
    });
    expect(streamed.headers.get('content-encoding')).toBeNull();
    expect((await streamed.text()).trim().split('\n').length).toBeGreaterThan(1);
  });

  test('an authenticated hit is compressed and private; REST answers too', async () => {
    const { key } = await issueApiKey(services.db, {
      name: 'compressed',
      role: 'ml_service',
      createdBy: null,
    });
    const plain = await bytes(await get(DRIVERS));
    const authed = await get(DRIVERS, { 'accept-encoding': 'gzip', 'x-api-key': key });
    expect(authed.headers.get('content-encoding')).toBe('gzip');
    expect(authed.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    expect(decode('gzip', await bytes(authed))).toEqual(plain);

    const restUrl = 'http://test.local/api/v1/drivers?limit=50';
    const restPlain = await bytes(await get(restUrl));
    const rest = await get(restUrl, { 'accept-encoding': 'br' });
    expect(rest.headers.get('content-encoding')).toBe('br');
    expect(decode('br', await bytes(rest))).toEqual(restPlain);
  });

  test('a large answer that is not cached (refused credentials) is compressed on the way out', async () => {
    const plain = await bytes(await get(DRIVERS, { authorization: 'Bearer nope' }));
    const res = await get(DRIVERS, { authorization: 'Bearer nope', 'accept-encoding': 'gzip' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(decode('gzip', await bytes(res))).toEqual(plain);
    // A small error is not.
    const error = await get(trpcUrl('nope.nothing'), { 'accept-encoding': 'gzip' });
    expect(error.status).toBe(404);
    expect(error.headers.get('content-encoding')).toBeNull();
  });
});

const require = createRequire(import.meta.url);
const REDOC = path.join(
  path.dirname(require.resolve('redoc/package.json')),
  'bundles',
  'redoc.standalone.js',
);

describe('docs assets and the OpenAPI document', () => {
  test('redoc.standalone.js: br and gzip made once, 304, HEAD', async () => {
    const url = 'http://test.local/api/redoc/redoc.standalone.js';
    const file = new Uint8Array(await Bun.file(REDOC).arrayBuffer());
    const plain = await get(url);
    expect(await bytes(plain)).toEqual(file);
    expect(plain.headers.get('content-type')).toStartWith('text/javascript');
    for (const encoding of ['br', 'gzip'] as const) {
      const first = await get(url, { 'accept-encoding': encoding });
      const body = await bytes(first);
      expect(first.headers.get('content-encoding')).toBe(encoding);
      expect(body.byteLength).toBeLessThan(file.byteLength / 3);
      expect(decode(encoding, body)).toEqual(file);
      const calls = compressionStats.calls;
      const second = await get(url, { 'accept-encoding': encoding });
      expect(await bytes(second)).toEqual(body);
      expect(compressionStats.calls).toBe(calls);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toEndWith(`-${encoding}"`);
      const revalidated = await get(url, { 'accept-encoding': encoding, 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      const head = await get(url, { 'accept-encoding': encoding }, 'HEAD');
      expect(head.headers.get('content-length')).toBe(String(body.byteLength));
      expect(head.headers.get('content-encoding')).toBe(encoding);
    }
    // A PNG is never compressed.
    const icon = await get('http://test.local/api/docs/favicon-32x32.png', {
      'accept-encoding': 'br',
    });
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-encoding')).toBeNull();
    expect(icon.headers.get('content-type')).toBe('image/png');
  });

  test('openapi.json goes compressed with an ETag', async () => {
    const url = 'http://test.local/api/openapi.json';
    const plain = await bytes(await get(url));
    const gzip = await get(url, { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gzip.headers.get('cache-control')).toBe('no-cache');
    expect(decode('gzip', await bytes(gzip))).toEqual(plain);
    JSON.parse(new TextDecoder().decode(plain));
  });

  test('a StaticAsset reads its body once, for every encoding', async () => {
    let loads = 0;
    const asset = new StaticAsset(
      () => {
        loads++;
        return new TextEncoder().encode('x'.repeat(4096));
      },
      { 'content-type': 'text/plain' },
    );
    const res = await asset.respond(
      new Request('http://test.local/x', { headers: { 'accept-encoding': 'gzip' } }),
    );
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(decode('gzip', await bytes(res))).toEqual(new TextEncoder().encode('x'.repeat(4096)));
    await asset.respond(new Request('http://test.local/x'));
    await asset.respond(
      new Request('http://test.local/x', { headers: { 'accept-encoding': 'br' } }),
    );
    expect(loads).toBe(1);
  });
});
