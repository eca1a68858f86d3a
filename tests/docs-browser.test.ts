/**
 * The API reference pages as a person sees them: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens /api/docs (Swagger UI) and /api/redoc (ReDoc) on a live server and finds every
 * operation of /api/openapi.json listed (which also proves their scripts run under the pages' CSP).
 * Requests leaving the machine are blocked and counted: there must be none, the pages need no CDN.
 * Screenshots go to tests/artifacts/ (git-ignored).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { ROOT } from '@f1/testkit/processes';
import { describeWith, needs } from '@f1/testkit/skip';
import { type BrowserContext, chromium } from 'playwright-core';

const CHROMIUM = process.env.F1_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const available = existsSync(CHROMIUM);

let server: LiveServer;
let browser: BrowserContext;
let profile: string;
const outside: string[] = [];
let operations: { method: string; path: string; operationId: string }[] = [];

beforeAll(async () => {
  if (!available) return;
  server = await startLiveServer();
  const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  // A path item also holds `servers` and `parameters` (the Ergast group has its own servers): only
  // the HTTP methods are operations.
  const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  operations = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({
        method,
        path: p,
        operationId: op.operationId,
      })),
  );
  profile = mkdtempSync(path.join(tmpdir(), 'f1-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const local = new URL(server.url).host;
  await browser.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === local || url.protocol === 'data:' || url.protocol === 'blob:')
      return route.continue();
    outside.push(url.toString());
    return route.abort();
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describeWith(
  [needs.file(CHROMIUM, 'Chromium (apt-get install chromium)')],
  'the docs pages in headless Chromium',
  () => {
    test('Swagger UI at /api/docs lists every operation', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}/api/docs`);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      const listed = await page.$$eval('.opblock', (blocks) =>
        blocks.map((b) => {
          const method = b.querySelector('.opblock-summary-method')?.textContent ?? '';
          const route = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method.toLowerCase()} ${route}`;
        }),
      );
      expect(listed.sort()).toEqual(operations.map((o) => `${o.method} ${o.path}`).sort());
      expect(await page.title()).toContain('Swagger UI');
      await page.screenshot({ path: path.join(ARTIFACTS, 'api-docs-swagger.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    }, 60_000);

    test('ReDoc at /api/redoc lists every operation', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}/api/redoc`);
      await page.waitForSelector('[data-section-id^="operation/"]', { timeout: 30_000 });
      const listed = await page.$$eval('[data-section-id^="operation/"]', (sections) =>
        sections.map((s) => s.getAttribute('data-section-id')?.replace(/^.*operation\//, '') ?? ''),
      );
      expect(listed.sort()).toEqual(operations.map((o) => o.operationId).sort());
      await page.screenshot({ path: path.join(ARTIFACTS, 'api-docs-redoc.png'), fullPage: false });
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    }, 60_000);
  },
);
