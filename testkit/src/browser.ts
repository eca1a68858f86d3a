/**
 * Headless Chromium for the browser tests: Debian's `chromium` (or F1_TEST_CHROMIUM) driven by
 * playwright-core — no browser download. A throw-away profile; every request to a host that is not
 * allowed (the live server's, a test page's) is blocked and recorded in `outside`, so a page that
 * needs the internet fails its test. Tests skip with a printed reason where Chromium is absent
 * (`needsChromium` for `describeWith`).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { ROOT } from './processes.ts';
import { needs } from './skip.ts';

export const CHROMIUM = process.env.F1_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const needsChromium = needs.file(CHROMIUM, 'Chromium (apt-get install chromium)');
/** Where screenshots go (git-ignored); created by `launchChromium`. */
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');

export interface TestBrowser {
  context: BrowserContext;
  /** The URLs pages asked for on hosts not allowed (each blocked). */
  outside: string[];
  close(): Promise<void>;
}

export async function launchChromium(options: {
  /** Base URLs (or `host:port`) whose requests pass; data: and blob: URLs always do. */
  allow: string[];
  viewport?: { width: number; height: number };
}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'f1-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
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
  const allowed = new Set(
    options.allow.map((url) => (url.includes('//') ? new URL(url).host : url)),
  );
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (allowed.has(url.host) || url.protocol === 'data:' || url.protocol === 'blob:')
      return route.continue();
    outside.push(url.toString());
    return route.abort();
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    outside,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
