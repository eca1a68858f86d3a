/**
 * The dashboard in headless Chromium against a server whose database holds nothing yet (a fresh
 * install before the first import): every page says plainly that there is no data — no script error,
 * no "Could not load" with a raw message, no empty charts under their headings.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { describeWith, needs } from '@f1/testkit/skip';
import { type BrowserContext, chromium } from 'playwright-core';

const CHROMIUM = process.env.F1_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';

let server: LiveServer;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  server = await startLiveServer({ backend: 'pglite' });
  profile = mkdtempSync(path.join(tmpdir(), 'f1-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describeWith(
  [needs.file(CHROMIUM, 'Chromium (apt-get install chromium)')],
  'the dashboard on an empty database',
  () => {
    test('every page says there is no data yet, without a script error or an empty chart', async () => {
      const pages: [string, string][] = [
        ['/dashboard/models', 'No race has results yet, so no model has been scored.'],
        ['/dashboard/ratings', 'No ratings yet: no race has results.'],
        [
          '/dashboard/seasons/2024',
          'No standings for 2024 yet: no race of that season has results.',
        ],
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
  },
);
