import { describe, expect, test } from 'bun:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { freshDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { dashboardAssets } from './assets.ts';

const database = await freshDatabase('pglite');
const app = testApp(testServices({ database }));
const emptyApp = testApp(testServices({ database: await freshDatabase('pglite') }));
await seedReadFixtures(database.db);

const get = (path: string, headers: Record<string, string> = {}, on = app) =>
  on.handle(new Request(`http://test.local${path}`, { headers }));

describe('dashboard pages', () => {
  test('/ is the landing page: what the server is, links to the docs, the Ergast base URL and the dashboard', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    for (const href of ['/api/docs', '/api/redoc', '/ergast/f1/current.json', '/dashboard/models'])
      expect(html).toContain(`href="${href}"`);
    expect(html).toContain('data-page="landing"');
    const assets = await dashboardAssets();
    expect(html).toContain(`src="${assets.script.url}"`);
    expect(html).toContain(`href="${assets.style.url}"`);
  });

  test('each page is a shell naming its page and parameters', async () => {
    const cases: [string, string][] = [
      [`/dashboard/seasons/${MINI_SEASON}`, `data-page="season" data-season="${MINI_SEASON}"`],
      ['/dashboard/races/2021/2', 'data-page="race" data-season="2021" data-round="2"'],
      ['/dashboard/ratings', 'data-page="ratings"'],
      ['/dashboard/models', 'data-page="models"'],
    ];
    for (const [path, marker] of cases) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(marker);
    }
  });

  test('a shell names an inline icon: a browser asks for no /favicon.ico (a 404 and a console error)', async () => {
    const html = await (await get('/dashboard/ratings')).text();
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect((await get('/favicon.ico')).status).toBe(404);
  });

  test('a shell goes br or gzip as Accept-Encoding allows, an ETag per encoding, Vary', async () => {
    const plain = await get('/');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    const html = await plain.text();
    expect(html.length).toBeGreaterThan(1024);
    const br = await get('/', { 'accept-encoding': 'gzip, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(br.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())).toString()).toBe(html);
    const gzip = await get('/', { 'accept-encoding': 'br;q=0.1, gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await gzip.arrayBuffer())).toString()).toBe(html);
    const tags = [plain, br, gzip].map((r) => r.headers.get('etag') ?? '');
    expect(new Set(tags).size).toBe(3);
    const again = await get('/', { 'accept-encoding': 'br', 'if-none-match': tags[1] ?? '' });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-encoding')).toBeNull();
    expect(
      (await get('/', { 'accept-encoding': 'gzip', 'if-none-match': tags[1] ?? '' })).status,
    ).toBe(200);
  });

  test('a shell carries an ETag: 304 when unchanged', async () => {
    const first = await get('/dashboard/models');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\//);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await get('/dashboard/models', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await get('/dashboard/ratings', { 'if-none-match': etag })).status).toBe(200);
  });

  test('`latest` redirects to the last race with results; 404 on an empty database', async () => {
    const season = await get('/dashboard/seasons/latest');
    expect(season.status).toBe(302);
    expect(season.headers.get('location')).toBe(`/dashboard/seasons/${MINI_SEASON}`);
    const race = await get('/dashboard/races/latest');
    expect(race.headers.get('location')).toBe(`/dashboard/races/${MINI_SEASON}/2`);
    expect((await get('/dashboard')).headers.get('location')).toBe('/dashboard/seasons/latest');
    expect((await get('/dashboard/seasons/latest', {}, emptyApp)).status).toBe(404);
    expect((await get('/dashboard/races/latest', {}, emptyApp)).status).toBe(404);
  });

  test('`latest` on an empty database: a browser following the nav gets a page saying what to do, not JSON', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    for (const path of ['/dashboard/seasons/latest', '/dashboard/races/latest']) {
      const page = await get(path, browser, emptyApp);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('etag')).toBeNull();
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      expect(html).toContain('data-page="empty"');
      expect(html).toContain('No race has results yet');
      expect(html).toContain('bun run ingest bootstrap');
      // An API client still gets the JSON error.
      const json = await get(path, { accept: 'application/json' }, emptyApp);
      expect(json.headers.get('content-type')).toStartWith('application/json');
      expect(((await json.json()) as { code: string }).code).toBe('NOT_FOUND');
    }
  });

  test('a bad season or round is a 400 naming the field', async () => {
    for (const [path, field] of [
      ['/dashboard/seasons/1900', 'season'],
      ['/dashboard/seasons/abc', 'season'],
      ['/dashboard/races/20x1/1', 'season'],
      ['/dashboard/races/2021/0', 'round'],
      ['/dashboard/races/2021/100', 'round'],
    ] as const) {
      const response = await get(path);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.message.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe('dashboard assets', () => {
  test('served precompressed (br, gzip, identity) with a long immutable cache and an ETag', async () => {
    const { script, style } = await dashboardAssets();
    expect(script.url).toMatch(/^\/dashboard\/assets\/app\.[0-9a-f]{16}\.js$/);
    const br = await get(script.url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const bytes = new Uint8Array(await br.arrayBuffer());
    expect(brotliDecompressSync(bytes)).toEqual(Buffer.from(script.identity));
    // The bundle holds uPlot and is smaller compressed.
    expect(new TextDecoder().decode(script.identity)).toContain('uplot');
    expect(bytes.length).toBeLessThan(script.identity.length / 2);

    const gzip = await get(style.url, { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gzip.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(gunzipSync(new Uint8Array(await gzip.arrayBuffer())).toString()).toContain(
      'prefers-color-scheme: dark',
    );
    const plain = await get(style.url, { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('.uplot');
  });

  test('304 for a matching If-None-Match; 404 for any other file', async () => {
    const { script } = await dashboardAssets();
    const first = await get(script.url);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-z]+"$/);
    const again = await get(script.url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect((await get('/dashboard/assets/app.0000000000000000.js')).status).toBe(404);
    const traversal = await get('/dashboard/assets/..%2Fpackage.json');
    expect(traversal.status).toBe(404);
    // The request's text is not echoed back.
    expect(await traversal.text()).not.toContain('package');
  });

  test('one build, shared by concurrent first calls', async () => {
    const [a, b] = await Promise.all([dashboardAssets(), dashboardAssets()]);
    expect(a).toBe(b);
    expect(a.buildMs).toBeGreaterThan(0);
  });

  test('q-values rank encodings as for every other answer: identity or gzip when weighed higher', async () => {
    const { script } = await dashboardAssets();
    const gzip = await get(script.url, { 'accept-encoding': 'br;q=0.5, gzip;q=1' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await gzip.arrayBuffer()))).toEqual(
      Buffer.from(script.identity),
    );
    const plain = await get(script.url, { 'accept-encoding': 'identity;q=1, br;q=0.5' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer())).toEqual(Buffer.from(script.identity));
    const xgzip = await get(script.url, { 'accept-encoding': 'x-gzip' });
    expect(xgzip.headers.get('content-encoding')).toBe('gzip');
  });

  test('each encoding has its own ETag: a 304 only for the variant the client holds', async () => {
    const { style } = await dashboardAssets();
    const br = await get(style.url, { 'accept-encoding': 'br' });
    const gzip = await get(style.url, { 'accept-encoding': 'gzip' });
    const plain = await get(style.url);
    const tags = [br, gzip, plain].map((r) => r.headers.get('etag'));
    expect(new Set(tags).size).toBe(3);
    expect(tags[0]).toBe((tags[2] ?? '').replace(/"$/, '-br"'));
    const held = { 'if-none-match': tags[0] ?? '' };
    const same = await get(style.url, { ...held, 'accept-encoding': 'br' });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(tags[0] ?? '');
    // A gzip-only client revalidating a br ETag gets its own bytes, not a 304 for the other variant.
    const other = await get(style.url, { ...held, 'accept-encoding': 'gzip' });
    expect(other.status).toBe(200);
    expect(other.headers.get('content-encoding')).toBe('gzip');
  });
});
