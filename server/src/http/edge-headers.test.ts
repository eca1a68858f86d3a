/**
 * CORS and security headers on every answer of the app (app.handle), whichever part made it: tRPC, REST,
 * the Ergast facade, /health, the docs, errors (400/404/405/429/500), 304s and cached replays — and
 * CORS headers never stored with a cached answer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { testConfig } from '@f1/testkit/config';
import { MINI_SEASON, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { Elysia } from 'elysia';
import { CORS_EXPOSED_HEADERS, CORS_METHODS, CorsPolicy, PREFLIGHT_MAX_AGE } from './cors.ts';
import { addVary } from './edge-cache.ts';
import { edgeHeaders } from './edge-headers.ts';
import { arrivedOverTls, REFERRER_POLICY } from './security-headers.ts';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
});
afterAll(() => database.close());

const appWith = (env: Record<string, string> = {}) =>
  testApp(testServices({ database, config: testConfig(env) }));

type App = ReturnType<typeof appWith>;
const send = (app: App, path: string, init: RequestInit = {}) =>
  app.handle(new Request(path.startsWith('http') ? path : `http://test.local${path}`, init));

const preflightInit = (origin: string, method = 'GET', headers = ''): RequestInit => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    ...(headers ? { 'access-control-request-headers': headers } : {}),
  },
});

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe(REFERRER_POLICY);
}

/** One request per part of the app and per kind of error, each with its expected status. */
const ROUTES: [string, string, RequestInit, number][] = [
  ['tRPC query', trpcUrl('standings.drivers', { season: MINI_SEASON }), {}, 200],
  ['tRPC bad input', trpcUrl('standings.drivers', { season: 'soon' }), {}, 400],
  ['REST read', `/api/v1/seasons/${MINI_SEASON}/races`, {}, 200],
  ['REST bad parameter', '/api/v1/seasons/soon/races', {}, 400],
  ['REST wrong method', '/api/v1/drivers', { method: 'PUT' }, 405],
  ['REST unknown path', '/api/v1/nowhere', {}, 404],
  ['Ergast facade', `/ergast/f1/${MINI_SEASON}/drivers.json`, {}, 200],
  ['health', '/health', {}, 200],
  ['docs page', '/api/docs', {}, 200],
  ['docs asset', '/api/docs/swagger-ui.css', {}, 200],
  ['OpenAPI document', '/api/openapi.json', {}, 200],
  ['router 404', '/nowhere', {}, 404],
  ['misroutable URL re-dispatched', 'http://x/health', {}, 200],
  ['HEAD of a REST read', `/api/v1/seasons/${MINI_SEASON}/races`, { method: 'HEAD' }, 200],
];

describe('a listed origin (F1_CORS_ORIGINS=list)', () => {
  let app: App;
  beforeAll(() => {
    app = appWith({ F1_CORS_ORIGINS: `${APP},http://localhost:5173` });
  });

  test.each(ROUTES)(
    '%s: echoed origin with credentials, security headers',
    async (_, path, init, status) => {
      const res = await send(app, path, {
        ...init,
        headers: { origin: APP, ...(init.headers as Record<string, string>) },
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toBe(CORS_EXPOSED_HEADERS);
      expect(res.headers.get('vary')?.split(/,\s*/)).toContain('Origin');
      expectSecurityHeaders(res);
      expect(res.headers.has('strict-transport-security')).toBe(false);
    },
  );

  test.each(ROUTES)(
    '%s: another origin gets no allow headers, still Vary and security headers',
    async (_, path, init, status) => {
      const res = await send(app, path, {
        ...init,
        headers: { origin: OTHER, ...(init.headers as Record<string, string>) },
      });
      expect(res.status).toBe(status);
      expect(res.headers.has('access-control-allow-origin')).toBe(false);
      expect(res.headers.has('access-control-allow-credentials')).toBe(false);
      expect(res.headers.has('access-control-expose-headers')).toBe(false);
      expect(res.headers.get('vary')?.split(/,\s*/)).toContain('Origin');
      expectSecurityHeaders(res);
    },
  );

  test('a preflight is 204 with methods, the allowed requested headers and a max age', async () => {
    for (const path of [
      '/trpc/predictions.submit',
      '/api/v1/predictions',
      '/ergast/f1/2021.json',
      '/health',
      '/nowhere',
    ]) {
      const res = await send(
        app,
        path,
        preflightInit(
          APP,
          'POST',
          'Content-Type, Authorization, X-API-Key, trpc-accept, x-request-id, x-evil',
        ),
      );
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toBe(CORS_METHODS);
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'content-type, authorization, x-api-key, trpc-accept, x-request-id',
      );
      expect(res.headers.get('access-control-max-age')).toBe(String(PREFLIGHT_MAX_AGE));
      expect(res.headers.get('vary')).toBe(
        'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      );
      expect(await res.text()).toBe('');
      expectSecurityHeaders(res);
    }
  });

  test('a preflight with no requested headers names none', async () => {
    const res = await send(app, '/api/v1/drivers', preflightInit('http://localhost:5173'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.has('access-control-allow-headers')).toBe(false);
  });

  test('a preflight from another origin is 204 without any allow header', async () => {
    const res = await send(app, '/api/v1/drivers', preflightInit(OTHER, 'POST', 'authorization'));
    expect(res.status).toBe(204);
    for (const name of [
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-max-age',
    ])
      expect(res.headers.has(name)).toBe(false);
    expectSecurityHeaders(res);
  });

  test('a plain OPTIONS (no preflight) is routed as before: 405 with Allow on REST', async () => {
    const res = await send(app, '/api/v1/drivers', { method: 'OPTIONS', headers: { origin: APP } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  test('a request without Origin still says Vary: Origin (a shared cache keeps answers apart)', async () => {
    const res = await send(app, '/health');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.has('access-control-allow-origin')).toBe(false);
    expectSecurityHeaders(res);
  });

  test('cached replays and 304s get the CORS headers of their own request, never a stored one', async () => {
    const url = `/api/v1/seasons/${MINI_SEASON}/races`;
    const first = await send(app, url, { headers: { origin: APP } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // The same URL from another origin: the replay carries no allow header of the first request.
    const replay = await send(app, url, { headers: { origin: OTHER } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('etag')).toBe(etag);
    expect(replay.headers.has('access-control-allow-origin')).toBe(false);
    expectSecurityHeaders(replay);
    const again = await send(app, url, { headers: { origin: 'http://localhost:5173' } });
    expect(again.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const notModified = await send(app, url, {
      headers: { origin: APP, 'if-none-match': etag ?? '' },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('access-control-allow-origin')).toBe(APP);
    expect(notModified.headers.get('vary')?.split(/,\s*/)).toContain('Origin');
    expectSecurityHeaders(notModified);
    // And the same for tRPC's cached answer.
    const trpc = trpcUrl('standings.drivers', { season: MINI_SEASON });
    await send(app, trpc, { headers: { origin: APP } });
    const trpcReplay = await send(app, trpc, { headers: { origin: OTHER } });
    expect(trpcReplay.status).toBe(200);
    expect(trpcReplay.headers.has('access-control-allow-origin')).toBe(false);
  });
});

describe('any origin (F1_CORS_ORIGINS=*)', () => {
  test('every answer says *, never credentials, and needs no Vary', async () => {
    const app = appWith({ F1_CORS_ORIGINS: '*' });
    for (const [, path, init, status] of ROUTES) {
      const res = await send(app, path, { ...init, headers: { origin: OTHER } });
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.has('access-control-allow-credentials')).toBe(false);
      expect(res.headers.get('access-control-expose-headers')).toBe(CORS_EXPOSED_HEADERS);
      expectSecurityHeaders(res);
    }
    const preflight = await send(
      app,
      '/trpc/auth.login',
      preflightInit(OTHER, 'POST', 'content-type'),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.has('access-control-allow-credentials')).toBe(false);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  test('a 429 carries the CORS headers, so a page can read Retry-After', async () => {
    const app = appWith({ F1_CORS_ORIGINS: '*', F1_RATE_LIMIT_REQUESTS: '2' });
    let last: Response | undefined;
    for (let i = 0; i < 4; i++)
      last = await send(app, '/api/v1/drivers', { headers: { origin: OTHER } });
    expect(last?.status).toBe(429);
    expect(last?.headers.get('retry-after')).toBeTruthy();
    expect(last?.headers.get('access-control-allow-origin')).toBe('*');
    expectSecurityHeaders(last as Response);
  });
});

describe('no CORS (F1_CORS_ORIGINS=none, the default outside development)', () => {
  test('no CORS header on any answer, OPTIONS routed as before, security headers still there', async () => {
    for (const app of [appWith({}), appWith({ F1_CORS_ORIGINS: 'none' })]) {
      for (const [, path, init, status] of ROUTES) {
        const res = await send(app, path, { ...init, headers: { origin: APP } });
        expect(res.status).toBe(status);
        for (const name of res.headers.keys())
          expect(name.startsWith('access-control-')).toBe(false);
        expect(res.headers.get('vary') ?? '').not.toContain('Origin');
        expectSecurityHeaders(res);
      }
      const preflight = await send(app, '/api/v1/drivers', preflightInit(APP));
      expect(preflight.status).toBe(405);
      expect(preflight.headers.has('access-control-allow-origin')).toBe(false);
    }
  });
});

describe('Strict-Transport-Security', () => {
  test('sent over TLS, or via a trusted proxy saying https; never over plain HTTP', async () => {
    const app = appWith({ F1_HSTS_MAX_AGE: '86400' });
    const tls = await send(app, 'https://api.example.com/health');
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=86400');
    const plain = await send(app, '/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(plain.headers.has('strict-transport-security')).toBe(false);
    const proxied = appWith({ F1_HSTS_MAX_AGE: '86400', F1_TRUSTED_PROXIES: '1' });
    const viaProxy = await send(proxied, '/nowhere', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.status).toBe(404);
    expect(viaProxy.headers.get('strict-transport-security')).toBe('max-age=86400');
    const httpProxy = await send(proxied, '/health', { headers: { 'x-forwarded-proto': 'http' } });
    expect(httpProxy.headers.has('strict-transport-security')).toBe(false);
  });

  test('off when F1_HSTS_MAX_AGE is 0, and off by default outside production', async () => {
    for (const app of [appWith({ F1_HSTS_MAX_AGE: '0' }), appWith({})]) {
      const res = await send(app, 'https://api.example.com/health');
      expect(res.headers.has('strict-transport-security')).toBe(false);
    }
  });

  test('the proxy entry that counts: the outermost trusted one; client-written ones are ignored', () => {
    const at = (proto: string | null, trusted: number, url = 'http://test.local/') =>
      arrivedOverTls(
        new Request(url, { headers: proto === null ? {} : { 'x-forwarded-proto': proto } }),
        trusted,
      );
    expect(at(null, 0, 'https://test.local/')).toBe(true);
    expect(at(null, 1)).toBe(false);
    expect(at('https', 0)).toBe(false);
    expect(at('https', 1)).toBe(true);
    expect(at('HTTPS', 1)).toBe(true);
    // The client wrote "https", the one trusted proxy appended "http": plain HTTP.
    expect(at('https, http', 1)).toBe(false);
    expect(at('https, http', 2)).toBe(true);
    expect(at('http', 3)).toBe(false);
  });
});

describe('the parts on their own', () => {
  test('addVary keeps what the answer varies on and never repeats a name', () => {
    const headers = new Headers({ vary: 'Accept-Encoding' });
    addVary(headers, 'Origin');
    addVary(headers, 'origin');
    expect(headers.get('vary')).toBe('Accept-Encoding, Origin');
    const star = new Headers({ vary: '*' });
    addVary(star, 'Origin');
    expect(star.get('vary')).toBe('*');
  });

  test.each(ROUTES)(
    "%s: the answer carries X-Request-Id, the caller's own when it sent a plain one",
    async (_name, path, init) => {
      const app = appWith({});
      const fresh = await send(app, path, init);
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const own = await send(app, path, { ...init, headers: { 'x-request-id': 'job-42.run:7' } });
      expect(own.headers.get('x-request-id')).toBe('job-42.run:7');
      // Not a plain token (too long, or with spaces): replaced, never echoed.
      for (const bad of ['x'.repeat(129), 'a b']) {
        const replaced = await send(app, path, { ...init, headers: { 'x-request-id': bad } });
        expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    },
  );

  test('a cached replay carries its own request id, not the stored one', async () => {
    const app = appWith({});
    const path = trpcUrl('standings.drivers', { season: MINI_SEASON });
    const a = await send(app, path, { headers: { 'x-request-id': 'first' } });
    const b = await send(app, path, { headers: { 'x-request-id': 'second' } });
    expect(await a.text()).toBe(await b.text());
    expect(b.headers.get('x-request-id')).toBe('second');
  });

  test('a route-set security header is kept (the docs pages own their CSP and nosniff)', async () => {
    const app = appWith({});
    const page = await send(app, '/api/redoc');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const custom = new Elysia()
      .wrap(edgeHeaders(testConfig({})))
      .get('/own', () => new Response('x', { headers: { 'referrer-policy': 'same-origin' } }));
    const own = await custom.handle(new Request('http://test.local/own'));
    expect(own.headers.get('referrer-policy')).toBe('same-origin');
  });

  test('a thrown handler (500 from onError) and a value answer both get the headers', async () => {
    const config = testConfig({ F1_CORS_ORIGINS: APP });
    const app = new Elysia()
      .wrap(edgeHeaders(config))
      .onError(() => new Response('{"code":"INTERNAL_SERVER_ERROR"}', { status: 500 }))
      .get('/boom', () => {
        throw new Error('boom');
      })
      .get('/value', () => ({ ok: true }));
    for (const [path, status] of [
      ['/boom', 500],
      ['/value', 200],
    ] as const) {
      const res = await app.handle(
        new Request(`http://test.local${path}`, { headers: { origin: APP } }),
      );
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expectSecurityHeaders(res);
    }
  });

  test('an answer with immutable headers is copied, not lost', async () => {
    const wrap = edgeHeaders(testConfig({ F1_CORS_ORIGINS: '*' }));
    // Bun's own Responses all have mutable headers; one standing in for a runtime's immutable ones.
    const frozen = new Response('hi', { status: 201, headers: { 'content-type': 'text/plain' } });
    const guarded = new Headers(frozen.headers);
    Object.defineProperty(guarded, 'set', {
      value: () => {
        throw new TypeError('immutable');
      },
    });
    Object.defineProperty(frozen, 'headers', { value: guarded });
    const handler = wrap(
      () => frozen,
      new Request('http://test.local/', { headers: { origin: OTHER } }),
    );
    const res = (await handler()) as Response;
    expect(res).not.toBe(frozen);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expectSecurityHeaders(res);
    expect(await res.text()).toBe('hi');
    const passthrough = wrap(() => 'not a response', new Request('http://test.local/'));
    expect(passthrough()).toBe('not a response');
  });

  test('CorsPolicy.enabled', () => {
    expect(new CorsPolicy('*').enabled).toBe(true);
    expect(new CorsPolicy([APP]).enabled).toBe(true);
    expect(new CorsPolicy([]).enabled).toBe(false);
  });
});
