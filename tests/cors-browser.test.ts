/**
 * CORS as a browser enforces it: headless Chromium (Debian's `chromium`, driven by playwright-core)
 * opens a page served from another origin (a second small Bun.serve on another port) that calls a live
 * server both over REST (`fetch('/api/v1/…')`) and through the SDK (bundled for the browser with
 * Bun.build). From the origin listed in F1_CORS_ORIGINS the data arrives (after preflights: the calls
 * send `x-request-id`, which is not a safelisted header) and the exposed headers are readable; from an
 * origin not listed the browser withholds both answers.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import {
  chromiumAvailable,
  launchChromium,
  needsChromium,
  type TestBrowser,
} from '@f1/testkit/browser';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import {
  type LiveServer,
  seedMiniSeasonWithStandings,
  startLiveServer,
} from '@f1/testkit/live-server';
import { ROOT } from '@f1/testkit/processes';
import { describeWith } from '@f1/testkit/skip';
import type { Server } from 'bun';
import type { BrowserContext } from 'playwright-core';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>caller</title></head>
<body>
<script type="module">
  import { createF1Client } from '/sdk.js';
  window.F1 = { createF1Client };
</script>
</body>
</html>
`;

let server: LiveServer;
let chrome: TestBrowser | undefined;
let browser: BrowserContext;
const pageServers: Server<undefined>[] = [];
let allowed: string;
let refused: string;
let outside: string[] = [];

/** A page server on a port of its own: the caller page and the browser build of the SDK. */
function servePages(sdk: string): Server<undefined> {
  const pages = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname === '/sdk.js')
        return new Response(sdk, { headers: { 'content-type': 'text/javascript' } });
      if (pathname === '/') return new Response(PAGE, { headers: { 'content-type': 'text/html' } });
      return new Response('not found', { status: 404 });
    },
  });
  pageServers.push(pages);
  return pages;
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  const build = await Bun.build({
    entrypoints: [path.join(ROOT, 'sdk/src/index.ts')],
    target: 'browser',
    format: 'esm',
  });
  if (!build.success) throw new AggregateError(build.logs, 'the SDK did not build for the browser');
  const sdk = await build.outputs[0]?.text();
  if (!sdk) throw new Error('the SDK build has no output');
  allowed = `http://127.0.0.1:${servePages(sdk).port}`;
  refused = `http://127.0.0.1:${servePages(sdk).port}`;
  server = await startLiveServer({
    seed: seedMiniSeasonWithStandings,
    env: { F1_CORS_ORIGINS: allowed },
  });
  chrome = await launchChromium({ allow: [server.url, allowed, refused] });
  browser = chrome.context;
  outside = chrome.outside;
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await server?.stop();
  for (const pages of pageServers) pages.stop(true);
});

interface Outcome {
  rest: { status: number; races: number; etag: string | null; remaining: string | null } | string;
  sdk: { leader: string | null; points: number | null; rows: number } | string;
}

/** Opens the caller page of `origin` and calls the live server from it, both ways. */
async function callFrom(origin: string): Promise<{ outcome: Outcome; console: string[] }> {
  const page = await browser.newPage();
  const console: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') console.push(message.text());
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (globalThis as { F1?: unknown }).F1 !== undefined, null, {
    timeout: 30_000,
  });
  const outcome = await page.evaluate(
    async ({ api, season }) => {
      type Sdk = {
        createF1Client: (options: { url: string; headers: Record<string, string> }) => {
          standings: {
            drivers: {
              query: (input: {
                season: number;
              }) => Promise<{ rows: { points: number; driver: { driverId: string } }[] }>;
            };
          };
        };
      };
      const result: Record<string, unknown> = {};
      try {
        const res = await fetch(`${api}/api/v1/seasons/${season}/races`, {
          headers: { 'x-request-id': 'browser-rest' },
        });
        const body = (await res.json()) as unknown[] | { items?: unknown[] };
        result.rest = {
          status: res.status,
          races: Array.isArray(body) ? body.length : (body.items?.length ?? -1),
          etag: res.headers.get('etag'),
          remaining: res.headers.get('ratelimit-remaining'),
        };
      } catch (error) {
        result.rest = `refused: ${String(error)}`;
      }
      try {
        const { createF1Client } = (globalThis as unknown as { F1: Sdk }).F1;
        const f1 = createF1Client({ url: api, headers: { 'x-request-id': 'browser-sdk' } });
        const standings = await f1.standings.drivers.query({ season });
        const first = standings.rows[0];
        result.sdk = {
          leader: first?.driver.driverId ?? null,
          points: first?.points ?? null,
          rows: standings.rows.length,
        };
      } catch (error) {
        result.sdk = `refused: ${String(error)}`;
      }
      return result;
    },
    { api: server.url, season: MINI_SEASON },
  );
  await page.close();
  return { outcome: outcome as unknown as Outcome, console };
}

describeWith([needsChromium], 'CORS in headless Chromium', () => {
  test('a page of a listed origin reads the API over REST and through the SDK', async () => {
    const { outcome, console } = await callFrom(allowed);
    expect(outcome.rest).toMatchObject({ status: 200 });
    const rest = outcome.rest as Exclude<Outcome['rest'], string>;
    expect(rest.races).toBe(2);
    // Exposed headers are readable by the page's script.
    expect(rest.etag).toMatch(/^W\/"/);
    expect(Number(rest.remaining)).toBeGreaterThanOrEqual(0);
    // The mini season after round 2: driver_b leads on countback (testkit/src/live-server.ts).
    expect(outcome.sdk).toEqual({ leader: 'driver_b', points: 32.5, rows: 4 });
    expect(console).toEqual([]);
    expect(outside).toEqual([]);
  }, 60_000);

  test('a page of another origin is refused by the browser, both ways', async () => {
    const { outcome, console } = await callFrom(refused);
    expect(outcome.rest).toContain('refused: TypeError');
    expect(outcome.sdk).toContain('refused:');
    // Chromium says why: the CORS policy, not the network.
    expect(console.some((line) => line.includes('CORS policy'))).toBe(true);
    expect(outside).toEqual([]);
  }, 60_000);
});
