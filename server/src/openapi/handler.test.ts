import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testServices } from '@f1/testkit/server';
import { Elysia } from 'elysia';
import { BODY_LIMITS } from '../http/body-limit.ts';
import { createContextInner, type Principal } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import type { RestError } from './errors.ts';
import { restRoutes } from './rest-routes.ts';
import { probeRouter } from './testing.ts';

let database: TestDatabase;
let rest: (request: Request) => Promise<Response>;

/** Principals by a test-only header, so access checks can be exercised before real auth exists. */
const PRINCIPALS: Record<string, Principal> = {
  user: { kind: 'user', id: 1, role: 'user', sessionId: 's' },
  ml: { kind: 'api_key', id: 2, role: 'ml_service' },
};

beforeAll(async () => {
  database = await freshDatabase('pglite');
  const services = testServices({ database });
  const app = new Elysia().use(
    restRoutes(services, {
      router: probeRouter,
      createContext: ({ request, resHeaders }) =>
        createContextInner({
          services,
          resHeaders,
          principal: PRINCIPALS[request.headers.get('x-test-principal') ?? ''] ?? null,
        }),
    }),
  );
  rest = (request) => app.handle(request);
}, 30_000);
afterAll(() => database.close());

const call = (path: string, init?: RequestInit) =>
  rest(new Request(`http://test.local/api/v1${path}`, init));
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('REST bridge', () => {
  test('path parameters and plain JSON out (dates as ISO strings)', async () => {
    const res = await call('/drivers/max_verstappen');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      driverId: 'max_verstappen',
      name: 'Max',
      born: '1997-09-30T00:00:00.000Z',
    });
  });

  test('path and query strings are coerced to the input types', async () => {
    const res = await call('/seasons/2024/races/5/results?limit=10');
    expect(await res.json()).toEqual({ season: 2024, round: 5, limit: 10 });
  });

  test('headers a procedure sets (rate limits) reach the response; answers are not cached', async () => {
    const res = await call('/seasons/2024/races/5/results');
    expect(res.headers.get('RateLimit-Remaining')).toBe('41');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('invalid input is a 400 naming the field, in the documented shape only', async () => {
    const res = await call('/seasons/1900/races/5/results');
    expect(res.status).toBe(400);
    const body = await jsonBody<{ code: string; issues: { path: unknown[] }[] }>(res);
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.issues.map((i) => i.path)).toEqual([['season']]);
    expect(Object.keys(body).sort()).toEqual(['code', 'issues', 'message']);
  });

  test('a TRPCError from the procedure keeps its status and message', async () => {
    const res = await call('/drivers/nobody');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: "no driver 'nobody'" });
  });

  test('unknown routes and procedures without REST metadata are 404', async () => {
    for (const path of ['/nope', '/rpcOnly', '/hidden']) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect((await jsonBody<RestError>(res)).code).toBe('NOT_FOUND');
    }
  });

  test('access is enforced as on tRPC: 401 anonymous, 403 wrong role, 200 allowed', async () => {
    const body = JSON.stringify({ raceId: 1, picks: ['VER', 'NOR'] });
    expect((await post('/predictions', body)).status).toBe(401);
    expect((await call('/me')).status).toBe(401);
    const forbidden = await post('/predictions', body, { 'x-test-principal': 'user' });
    expect(forbidden.status).toBe(403);
    expect((await jsonBody<RestError>(forbidden)).code).toBe('FORBIDDEN');
    const ok = await post('/predictions', body, { 'x-test-principal': 'ml' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 2, by: 2 });
    expect(await (await call('/me', { headers: { 'x-test-principal': 'user' } })).json()).toEqual({
      id: 1,
    });
  });

  test('bad bodies: invalid JSON 400, wrong content type 415, too large 413', async () => {
    const ml = { 'x-test-principal': 'ml' };
    const invalid = await post('/predictions', '{"raceId": 1,', ml);
    expect(invalid.status).toBe(400);
    expect((await jsonBody<RestError>(invalid)).code).toBe('PARSE_ERROR');

    const text = await call('/predictions', { method: 'POST', body: 'x', headers: ml });
    expect(text.status).toBe(415);

    const huge = await post('/predictions', `"${'x'.repeat(BODY_LIMITS.default)}"`, ml);
    expect(huge.status).toBe(413);
    expect((await jsonBody<RestError>(huge)).code).toBe('PAYLOAD_TOO_LARGE');

    const missing = await post('/predictions', JSON.stringify({ raceId: 1 }), ml);
    expect(missing.status).toBe(400);
    expect((await jsonBody<{ issues: { path: string[] }[] }>(missing)).issues[0]?.path).toEqual([
      'picks',
    ]);
  });

  test('public GETs with a cache policy get it, with an ETag and 304 on a match', async () => {
    const res = await call('/drivers/max_verstappen');
    expect(res.headers.get('cache-control')).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=600',
    );
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    const again = await call('/drivers/max_verstappen', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const authed = await call('/drivers/max_verstappen', {
      headers: { authorization: 'Bearer x' },
    });
    expect(authed.headers.get('cache-control')).toBe('no-store');
  });

  test('a known path with the wrong method is 405 with Allow; HEAD answers like GET, without a body', async () => {
    const res = await call('/drivers/max_verstappen', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await jsonBody<RestError>(res)).toMatchObject({
      code: 'METHOD_NOT_SUPPORTED',
      message: '/drivers/max_verstappen supports GET, HEAD',
    });
    const head = await call('/drivers/max_verstappen', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('routing: one trailing slash, HEAD and other methods on a POST-only path, the 404 text', async () => {
    const slash = await call('/drivers/max_verstappen/');
    expect(slash.status).toBe(200);
    expect(((await slash.json()) as { driverId: string }).driverId).toBe('max_verstappen');
    const two = await call('/drivers/max_verstappen//');
    expect(two.status).toBe(404);
    expect(await two.json()).toEqual({
      code: 'NOT_FOUND',
      message: 'no operation GET /drivers/max_verstappen//',
    });
    for (const method of ['HEAD', 'OPTIONS', 'PROPFIND']) {
      const res = await call('/predictions', { method });
      expect(`${method} ${res.status} ${res.headers.get('allow')}`).toBe(`${method} 405 POST`);
    }
  });

  test('a segment the router cannot decode reaches the procedure as sent', async () => {
    // Elysia gives no value for a malformed UTF-8 escape; the bridge passes the raw segment on.
    const res = await call('/drivers/%E0%A4%A');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { driverId: string }).driverId).toBe('%E0%A4%A');
  });

  test('a body that is not an object, and a malformed path escape, are 400s', async () => {
    const ml = { 'x-test-principal': 'ml' };
    expect((await post('/predictions', '[1, 2]', ml)).status).toBe(400);
    const escaped = await call('/seasons/%zz/races/1/results');
    expect(escaped.status).toBe(400);
    expect((await jsonBody<{ issues: { path: string[] }[] }>(escaped)).issues[0]?.path).toEqual([
      'season',
    ]);
  });

  test('regression: a REST call does not loosen what the same procedure accepts on tRPC', async () => {
    // trpc-to-openapi's handler set `coerce` on the procedures' schemas: afterwards tRPC accepted
    // raceId "7" and turned null into 0.
    const services = testServices({ database });
    const caller = createCallerFactory(probeRouter as never)(
      createContextInner({ services, principal: PRINCIPALS.ml ?? null }),
    ) as { submit: (input: unknown) => Promise<unknown> };
    const ok = await post('/predictions', JSON.stringify({ raceId: 1, picks: ['VER'] }), {
      'x-test-principal': 'ml',
    });
    expect(ok.status).toBe(200);
    for (const raceId of ['7', null]) {
      const error = await caller.submit({ raceId, picks: ['VER'] }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('BAD_REQUEST');
    }
  });
});
