/**
 * Regression: with a `Host` shorter than 4 characters Elysia routed `/zz/health` as `/health`, and a
 * request without a usable Host (HTTP/1.0, `Host:` empty) reached the REST bridge as a bare path → 500.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { connect } from 'node:net';
import { listAuditEntries } from '@f1/db/auth/audit';
import { authServices, TEST_PASSWORD, uniqueEmail } from '@f1/testkit/auth';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { createApp } from '../app.ts';
import type { Services } from '../services.ts';
import { makeRoutable, routableUrl } from './routable-url.ts';

describe('routableUrl', () => {
  test('URLs Elysia reads right are left alone', () => {
    for (const url of [
      'http://a.bc/zz/health',
      'http://abcd/zz/health?x=1',
      'http://[::1]/health',
      'https://example.com/api/v1/drivers',
      'http://abcd',
      'http://ab:1/api/v1/drivers',
    ])
      expect([url, routableUrl(url)]).toEqual([url, null]);
  });

  test('a short host or a bare path gets a host Elysia can skip, path and query kept', () => {
    expect(routableUrl('http://x/zz/health')).toBe('http://localhost/zz/health');
    expect(routableUrl('http://a:1/api/v1/drivers?search=a')).toBe(
      'http://localhost/api/v1/drivers?search=a',
    );
    expect(routableUrl('https://ab/x')).toBe('https://localhost/x');
    expect(routableUrl('/zz/health?x=1')).toBe('http://localhost/zz/health?x=1');
    expect(routableUrl('*')).toBe('http://localhost/*');
    // What it returns is itself routable: one rewrite, never a loop.
    expect(routableUrl(routableUrl('http://x/a') ?? '')).toBeNull();
  });

  test('the request object is kept (Bun knows the peer of that object only)', () => {
    const request = new Request('http://x/zz/health');
    expect(makeRoutable(request)).toBe(true);
    expect(request.url).toBe('http://localhost/zz/health');
    expect(makeRoutable(request)).toBe(false);
  });
});

describe('misroutable requests through the app', () => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    services = authServices({ database });
    app = createApp(services).listen({ hostname: '127.0.0.1', port: 0 });
  }, 30_000);
  afterAll(async () => {
    await app.stop(true);
    await database.close();
  });

  /** Status line and body of a raw HTTP request to the listening app. */
  const raw = (request: string) =>
    new Promise<[string, string]>((resolve, reject) => {
      const socket = connect(app.server?.port ?? 0, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('error', reject);
      socket.on('end', () => {
        const [head = '', body = ''] = data.split('\r\n\r\n');
        resolve([head.split('\r\n')[0] ?? '', body]);
      });
    });
  const get = (path: string, headers: string) =>
    raw(`GET ${path} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

  test('Host: x does not turn /zz/health into /health', async () => {
    expect(await get('/zz/health', 'Host: x\r\n')).toEqual([
      'HTTP/1.1 404 Not Found',
      '{"code":"NOT_FOUND","message":"no such route"}',
    ]);
    expect((await get('/health', 'Host: x\r\n'))[0]).toBe('HTTP/1.1 200 OK');
    const trpc = await get('/trpc/drivers.list', 'Host: ab\r\n');
    expect(trpc).toEqual([
      'HTTP/1.1 200 OK',
      '{"result":{"data":{"json":{"items":[],"nextCursor":null}}}}',
    ]);
    // In process, through app.handle, alike.
    expect((await app.handle(new Request('http://x/zz/health'))).status).toBe(404);
  });

  test('without a usable Host (HTTP/1.0, empty) REST and tRPC answer, not 500', async () => {
    const drivers = '{"items":[],"nextCursor":null}';
    expect(await raw('GET /api/v1/drivers HTTP/1.0\r\n\r\n')).toEqual(['HTTP/1.1 200 OK', drivers]);
    expect(await get('/api/v1/drivers', 'Host: \r\n')).toEqual(['HTTP/1.1 200 OK', drivers]);
    expect((await raw('GET /zzzzzzzz/health HTTP/1.0\r\n\r\n'))[0]).toBe('HTTP/1.1 404 Not Found');
  });

  test('a rewritten request keeps its peer address (audited login from 127.0.0.1)', async () => {
    const email = uniqueEmail();
    const body = JSON.stringify({ email, password: TEST_PASSWORD });
    const register = `POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
    expect((await raw(register))[0]).toBe('HTTP/1.1 200 OK');
    const { items } = await listAuditEntries(services.db, { action: 'auth.register', limit: 10 });
    expect(items.map((row) => [row.outcome, row.ip])).toEqual([['success', '127.0.0.1']]);
  });
});
