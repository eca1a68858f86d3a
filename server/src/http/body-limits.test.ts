/**
 * Regression tests for issue 11 finding 5 ("bodies are buffered before any limit"): on /trpc and on
 * the REST bridge, a body over its limit is refused while it is read — before reading anything when
 * Content-Length says so, after at most the limit when it is streamed — and a rate-limited client's
 * body is never read at all. The bodies here are streams that count what the server pulled from them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { authServices } from '@f1/testkit/auth';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { jsonBody, postJson } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp } from '@f1/testkit/server';
import { issueApiKey } from '../auth/api-keys.ts';
import { BODY_LIMITS } from './body-limit.ts';

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/**
 * A body of `total` bytes (`{"json":{…,"password":"xxx…"}}`) that records how much was pulled; with
 * `stallAfter` it stops producing after that many bytes and never ends (a client that keeps the
 * request open), so a server that waits for it never answers.
 */
function countedBody(options: { total: number; stallAfter?: number }) {
  const head = new TextEncoder().encode('{"json":{"email":"a@example.test","password":"');
  const tail = new TextEncoder().encode('"}}');
  const filler = new Uint8Array(CHUNK).fill(120);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.stallAfter !== undefined && pulled >= options.stallAfter)
        await new Promise<void>(() => {});
      const chunk = pulled === 0 ? head : pulled + CHUNK >= options.total ? tail : filler;
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
      if (chunk === tail) controller.close();
    },
  });
  return { stream, pulled: () => pulled };
}

/** The answer, or a failure naming what the server was doing, well before the test's own timeout. */
async function answered(response: Promise<Response>, what: string): Promise<Response> {
  const timeout = Bun.sleep(10_000).then(() => {
    throw new Error(`no answer within 10 s: the server is waiting for the body (${what})`);
  });
  return Promise.race([response, timeout]);
}

type TrpcError = {
  error: { json: { message: string; data: { code: string; httpStatus: number } } };
};
type RestError = { code: string; message: string };

let database: TestDatabase;
let mlKey: string;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  await seedPredictionRaces(database.db);
  mlKey = (await issueApiKey(database.db, { name: 'ml', role: 'ml_service', createdBy: null })).key;
}, 60_000);
afterAll(() => database.close());

const app = () => testApp(authServices({ database, env: { F1_TRUSTED_PROXIES: '1' } }));

describe('body limits while reading (issue 11 finding 5)', () => {
  for (const path of ['/trpc/auth.login', '/api/v1/auth/login']) {
    test(`${path}: Content-Length over the limit is 413 without reading the body`, async () => {
      const body = countedBody({ total: 100 * MiB, stallAfter: CHUNK });
      const headers = { 'content-length': String(100 * MiB), 'x-forwarded-for': '198.51.100.1' };
      const res = await answered(postJson(app(), path, body.stream, headers), path);
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
      // The body stream may have been primed with one chunk; nothing past that was read.
      expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
      const text = await res.text();
      expect(text).toContain('1 MiB');
      if (path.startsWith('/trpc')) {
        const error = (JSON.parse(text) as TrpcError).error.json;
        expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
      } else {
        expect(JSON.parse(text) as RestError).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      }
    }, 30_000);

    test(`${path}: a streamed body without Content-Length stops at the limit with 413`, async () => {
      // 2 MiB, then the stream stalls: a server that reads to the end never answers.
      const body = countedBody({ total: 100 * MiB, stallAfter: 2 * MiB });
      const headers = { 'x-forwarded-for': '198.51.100.2' };
      const res = await answered(postJson(app(), path, body.stream, headers), path);
      expect(res.status).toBe(413);
      expect(await res.text()).toContain('PAYLOAD_TOO_LARGE');
      expect(body.pulled()).toBeGreaterThan(BODY_LIMITS.default);
    }, 30_000);

    test(`${path}: a rate-limited client gets 429 and its body is never read`, async () => {
      const target = app();
      const ip = { 'x-forwarded-for': `198.51.100.${path.length}` };
      // The login limit is 10 per minute per IP: spend it (other accounts each time: the per-account
      // limit is lower).
      for (let i = 0; i < 10; i++) {
        const login = { email: `nobody-${i}@example.test`, password: 'x' };
        const small = JSON.stringify(path.startsWith('/trpc') ? { json: login } : login);
        expect((await postJson(target, path, small, ip)).status).toBe(401);
      }
      const body = countedBody({ total: 100 * MiB, stallAfter: CHUNK });
      const declared = { ...ip, 'content-length': String(100 * MiB) };
      const res = await answered(postJson(target, path, body.stream, declared), path);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('connection')).toBe('close');
      expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
      expect(await res.text()).toContain('TOO_MANY_REQUESTS');
    }, 30_000);
  }

  test('a batch of ordinary calls fits the default limit; a bigger one is 413', async () => {
    const set = (i: number) => ({
      season: MINI_SEASON,
      round: 3,
      model: `batch-${i}`,
      version: '1',
      entries: entriesFor(),
    });
    const batch = (count: number) =>
      JSON.stringify(
        Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { json: set(i) }])),
      );
    const paths = (count: number) => Array(count).fill('predictions.submit').join(',');
    const target = app();
    const ok = await postJson(target, `/trpc/${paths(20)}?batch=1`, batch(20), {
      'x-api-key': mlKey,
    });
    expect(ok.status).toBe(200);
    const results = await jsonBody<{ result: { data: { json: { status: string } } } }[]>(ok);
    expect(results.map((r) => r.result.data.json.status)).toEqual(Array(20).fill('created'));
    const tooMany = batch(5_000);
    expect(tooMany.length).toBeGreaterThan(BODY_LIMITS.default);
    const refused = await postJson(target, `/trpc/${paths(5_000)}?batch=1`, tooMany, {
      'x-api-key': mlKey,
    });
    expect(refused.status).toBe(413);
    const errors = await jsonBody<TrpcError[]>(refused);
    expect(errors).toHaveLength(5_000);
    expect(errors[0]?.error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
  }, 30_000);

  test('predictions.submitBulk keeps its 32 MiB limit, for authenticated callers only', async () => {
    const target = app();
    const ml = { 'x-api-key': mlKey };
    const sets = (tag: string) =>
      Array.from({ length: 500 }, (_, i) => ({
        season: MINI_SEASON,
        round: 3,
        model: `${tag}-${i}`,
        version: '1',
        entries: entriesFor(),
      }));
    // Real sets, padded with JSON whitespace to just under the limit: the byte count is under test.
    const padded = (json: string, wrap: (inner: string) => string, size: number) =>
      wrap(`${json}${' '.repeat(size - wrap(json).length)}`);
    const asTrpc = (inner: string) => `{"json":${inner}}`;
    const asRest = (inner: string) => inner;

    const trpcBody = padded(JSON.stringify({ sets: sets('trpc') }), asTrpc, BODY_LIMITS.bulk - 1);
    const viaTrpc = await postJson(target, '/trpc/predictions.submitBulk', trpcBody, ml);
    expect(viaTrpc.status).toBe(200);
    type Bulk = { created: number };
    expect(
      (await jsonBody<{ result: { data: { json: Bulk } } }>(viaTrpc)).result.data.json.created,
    ).toBe(500);

    const restBody = padded(JSON.stringify({ sets: sets('rest') }), asRest, BODY_LIMITS.bulk);
    const viaRest = await postJson(target, '/api/v1/predictions/bulk', restBody, ml);
    expect(viaRest.status).toBe(200);
    expect((await jsonBody<Bulk>(viaRest)).created).toBe(500);

    const over = padded(JSON.stringify({ sets: sets('over') }), asRest, BODY_LIMITS.bulk + 1);
    const refused = await postJson(target, '/api/v1/predictions/bulk', over, ml);
    expect(refused.status).toBe(413);
    expect((await jsonBody<RestError>(refused)).message).toContain('32 MiB');
    // Without credentials the bulk procedure gets the default limit.
    const anonymous = await postJson(
      target,
      '/trpc/predictions.submitBulk',
      trpcBody.slice(0, 2 * MiB),
    );
    expect(anonymous.status).toBe(413);
    expect(await anonymous.text()).toContain('1 MiB');
  }, 60_000);
});
