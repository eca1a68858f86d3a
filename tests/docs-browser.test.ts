/**
 * The API reference pages as a person sees them: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens /api/docs (Swagger UI) and /api/redoc (ReDoc) on a live server and finds every
 * operation of /api/openapi.json listed (which also proves their scripts run under the pages' CSP).
 * Requests leaving the machine are blocked and counted: there must be none, the pages need no CDN.
 * Screenshots go to tests/artifacts/ (git-ignored).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import {
  ARTIFACTS,
  chromiumAvailable,
  launchChromium,
  needsChromium,
  type TestBrowser,
} from '@f1/testkit/browser';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { describeWith } from '@f1/testkit/skip';
import type { BrowserContext } from 'playwright-core';

let server: LiveServer;
let chrome: TestBrowser | undefined;
let browser: BrowserContext;
let outside: string[] = [];
let operations: { method: string; path: string; operationId: string }[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
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
  chrome = await launchChromium({ allow: [server.url] });
  browser = chrome.context;
  outside = chrome.outside;
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await server?.stop();
});

describeWith([needsChromium], 'the docs pages in headless Chromium', () => {
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
});
