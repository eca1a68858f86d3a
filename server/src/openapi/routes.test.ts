import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { ASSET_PATHS } from './docs-pages.ts';

let database: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  app = testApp(testServices({ database }));
}, 30_000);
afterAll(() => database.close());

const get = (path: string) => app.handle(new Request(`http://test.local${path}`));

describe('OpenAPI routes on the app', () => {
  test('/api/openapi.json serves the document', async () => {
    const res = await get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = await jsonBody<{ openapi: string; info: { title: string }; paths: object }>(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('F1 Analytics API');
    expect(Object.keys(doc.paths)).toContain('/health');
  });

  test('REST calls under /api/v1 reach the procedures', async () => {
    const res = await get('/api/v1/health');
    expect(res.status).toBe(200);
    const body = await jsonBody<{ status: string; time: string }>(res);
    expect(body.status).toBe('ok');
    expect(new Date(body.time).toString()).not.toBe('Invalid Date');
  });

  test('the docs pages load only local assets, which are served', async () => {
    for (const page of ['/api/docs', '/api/redoc']) {
      const res = await get(page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).not.toMatch(/https?:\/\//);
      for (const src of html.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)) {
        const asset = await get(src[1] ?? '');
        expect(`${src[1]} ${asset.status}`).toBe(`${src[1]} 200`);
      }
    }
    for (const path of ASSET_PATHS) expect((await get(path)).status).toBe(200);
    expect(await (await get('/api/docs/init.js')).text()).toContain('validatorUrl: null');
  });

  test('anything else under the docs paths is a 404, never a file read', async () => {
    for (const path of [
      '/api/docs/package.json',
      '/api/docs/..%2f..%2fpackage.json',
      '/api/redoc/x.js',
    ])
      expect((await get(path)).status).toBe(404);
  });
});
