/**
 * The dashboard in headless Chromium against a server whose database holds nothing yet (a fresh
 * install before the first import): every page says plainly that there is no data — no script error,
 * no "Could not load" with a raw message, no empty charts under their headings.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import {
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

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = await startLiveServer({ backend: 'pglite' });
  chrome = await launchChromium({ allow: [server.url] });
  browser = chrome.context;
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await server?.stop();
});

describeWith([needsChromium], 'the dashboard on an empty database', () => {
  test('every page says there is no data yet, without a script error or an empty chart', async () => {
    const pages: [string, string][] = [
      ['/dashboard/models', 'No race has results yet, so no model has been scored.'],
      ['/dashboard/ratings', 'No ratings yet: no race has results.'],
      ['/dashboard/seasons/2024', 'No standings for 2024 yet: no race of that season has results.'],
      ['/dashboard/races/2024/1', 'No round 1 in the 2024 calendar.'],
    ];
    for (const [urlPath, message] of pages) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (m) => {
        // The API's 404s for data that is not there are expected; anything else is not.
        if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text());
      });
      await page.goto(`${server.url}${urlPath}`);
      await page.waitForSelector('body[data-ready="true"]', {
        state: 'attached',
        timeout: 30_000,
      });
      expect(await page.locator('#status').textContent()).toBe(message);
      expect(await page.locator('#status.error').count()).toBe(0);
      // Nothing but the title and the status line is shown.
      const shown = await page.$$eval('#page > *', (parts) =>
        parts
          .filter((p) => (p as unknown as { offsetParent: unknown }).offsetParent !== null)
          .map((p) => p.id),
      );
      expect(shown).toEqual(['title', 'status']);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);

  test('the nav links to `latest` open a page saying how to load data, not a JSON error', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    await Promise.all([
      page.waitForURL('**/dashboard/seasons/latest'),
      page.click('nav >> text=Season'),
    ]);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    expect(await page.locator('#title').textContent()).toBe('No data yet');
    expect(await page.locator('main').textContent()).toContain('bun run ingest bootstrap');
    expect(await page.locator('#status').textContent()).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
