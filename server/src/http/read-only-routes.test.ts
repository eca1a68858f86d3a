/**
 * Other methods on the paths that only read — health, metrics, docs, dashboard, assets — are 405 with
 * `Allow: GET, HEAD` and the REST error shape (app.handle), as under /api/v1, /trpc and /ergast; a
 * path that does not exist stays 404; GET and HEAD are untouched.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { Elysia } from 'elysia';
import { READ_METHODS, refuseOtherMethods } from './read-only-routes.ts';

const TOKEN = 'metrics-token-for-the-405-test-0123456789';
let database: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  app = testApp(testServices({ database, config: testConfig({ F1_METRICS_TOKEN: TOKEN }) }));
});
afterAll(() => database.close());

const send = (path: string, method: string) =>
  app.handle(new Request(`http://test.local${path}`, { method }));

const READ_ONLY = [
  '/health',
  '/health/database',
  '/health/redis',
  '/metrics',
  '/',
  '/dashboard',
  '/dashboard/seasons/2023',
  '/dashboard/races/2023/5',
  '/dashboard/ratings',
  '/dashboard/models',
  '/dashboard/assets/anything.js',
  '/api/openapi.json',
  '/api/docs',
  '/api/docs/swagger-ui.css',
  '/api/redoc',
];

describe('read-only paths refuse other methods with 405', () => {
  test('POST, PUT, DELETE, PATCH, OPTIONS (no preflight), PROPFIND: 405, Allow, the REST shape', async () => {
    for (const path of READ_ONLY) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
        const res = await send(path, method);
        expect(`${method} ${path} ${res.status} ${res.headers.get('allow')}`).toBe(
          `${method} ${path} 405 ${READ_METHODS}`,
        );
        expect(await res.json()).toEqual({
          code: 'METHOD_NOT_SUPPORTED',
          message: `${path} supports GET, HEAD`,
        });
      }
    }
  });

  test('GET and HEAD still answer; the metrics token is still asked for', async () => {
    expect((await send('/health', 'GET')).status).toBe(200);
    const head = await send('/health', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await send('/metrics', 'GET')).status).toBe(401);
    const scraped = await app.handle(
      new Request('http://test.local/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(scraped.status).toBe(200);
  });

  test('a path that does not exist is still 404, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await send('/no/such/path', method);
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    }
    expect((await send('/dashboard/seasons/2023/extra', 'POST')).status).toBe(404);
  });

  test('a path with its own every-method route keeps it (REST, tRPC, Ergast answer for themselves)', async () => {
    const own = new Elysia()
      .get('/read', () => 'read')
      .get('/mixed', () => 'read')
      .all('/mixed', () => new Response('own', { status: 418 }));
    refuseOtherMethods(own);
    expect((await own.handle(new Request('http://t.local/read', { method: 'PUT' }))).status).toBe(
      405,
    );
    const mixed = await own.handle(new Request('http://t.local/mixed', { method: 'PUT' }));
    expect(mixed.status).toBe(418);
    expect(await (await own.handle(new Request('http://t.local/mixed'))).text()).toBe('read');
    const rest = await send('/api/v1/drivers', 'PUT');
    expect(rest.headers.get('allow')).toBe('GET, HEAD');
    expect(((await rest.json()) as { message: string }).message).toBe(
      '/drivers supports GET, HEAD',
    );
  });
});
