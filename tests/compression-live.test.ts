/**
 * Compression and the authenticated response cache over real HTTP, against a server process: the raw
 * bytes on the wire (node:http does not decompress) decode to exactly the identity answer, with a
 * Content-Length that matches them; an API key's read is the anonymous bytes with `private`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import http from 'node:http';
import zlib from 'node:zlib';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { seedManyDrivers } from '@f1/testkit/fixtures/read-api';
import {
  type LiveServer,
  seedMiniSeasonWithStandings,
  startLiveServer,
} from '@f1/testkit/live-server';

let server: LiveServer;
let apiKey = '';

beforeAll(async () => {
  server = await startLiveServer({
    seed: async (database) => {
      await seedMiniSeasonWithStandings(database);
      await seedManyDrivers(database.db, 40);
      apiKey = (
        await issueApiKey(database.db, { name: 'live-ml', role: 'ml_service', createdBy: null })
      ).key;
    },
  });
}, 120_000);
afterAll(() => server?.stop());

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET (or HEAD) whose body is the bytes as sent, like `curl` without `--compressed`. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

const decode = (res: Raw): Buffer => {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  return res.body;
};

const DRIVERS = `/trpc/drivers.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 50 } }))}`;

describe('a live server', () => {
  test('cached answers: br and gzip decode to the identity bytes, lengths match', async () => {
    for (const path of [DRIVERS, '/api/v1/drivers?limit=50']) {
      const identity = await raw(path);
      expect(identity.status).toBe(200);
      expect(identity.body.byteLength).toBeGreaterThan(1024);
      expect(identity.headers['content-encoding']).toBeUndefined();
      for (const encoding of ['br', 'gzip']) {
        const res = await raw(path, { 'accept-encoding': encoding });
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(Number(res.headers['content-length'])).toBe(res.body.byteLength);
        expect(res.body.byteLength).toBeLessThan(identity.body.byteLength);
        expect(decode(res).equals(identity.body)).toBe(true);
        expect(res.headers.vary).toContain('Accept-Encoding');
        const head = await raw(path, { 'accept-encoding': encoding }, 'HEAD');
        expect(head.headers['content-length']).toBe(String(res.body.byteLength));
      }
    }
  });

  test('an API key gets the anonymous bytes, private, compressed when asked', async () => {
    const anonymous = await raw(DRIVERS);
    expect(anonymous.headers['cache-control']).toStartWith('public');
    const authed = await raw(DRIVERS, { 'x-api-key': apiKey, 'accept-encoding': 'gzip' });
    expect(authed.status).toBe(200);
    expect(authed.headers['cache-control']).toBe('private, max-age=0');
    expect(decode(authed).equals(anonymous.body)).toBe(true);
    const wrong = `${apiKey.slice(0, -1)}${apiKey.endsWith('0') ? '1' : '0'}`;
    const refused = await raw(DRIVERS, { 'x-api-key': wrong });
    expect(refused.headers['cache-control']).toBe('no-store');
    const me = await raw('/trpc/auth.me', { 'x-api-key': wrong });
    expect(me.status).toBe(401);
  });

  test('the ReDoc bundle and the OpenAPI document go compressed', async () => {
    for (const path of ['/api/redoc/redoc.standalone.js', '/api/openapi.json']) {
      const identity = await raw(path);
      const br = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(Number(br.headers['content-length'])).toBe(br.body.byteLength);
      expect(decode(br).equals(identity.body)).toBe(true);
      const notModified = await raw(path, {
        'accept-encoding': 'br',
        'if-none-match': String(br.headers.etag),
      });
      expect(notModified.status).toBe(304);
      expect(notModified.body.byteLength).toBe(0);
    }
  });
});
