/**
 * `bun run bench dashboard` — first render of every dashboard page in headless Chromium, against the
 * issue's bar of 1 s, on the 2024 season in the embedded database (a live server process on a PGlite
 * data directory holding 2023 and 2024 from the shared export, ratings replayed, the 2024 backtest stored).
 *
 * Render = navigation start → the page's `dashboard:ready` mark (its charts drawn), read from the
 * page's own `performance` timeline. Per page: its very first load (server caches empty for that URL;
 * the suite's first page also builds the client bundle), then RUNS loads with the browser cache cleared
 * (a new visitor; server caches warm), then RUNS with the browser cache kept (a returning visitor).
 * Reports the median and min–max, and each median ÷ 1,000 ms (≤ 1 meets the bar). Needs Chromium
 * and the shared data; `--quick` for fewer runs. Never asserts: the table is the result.
 */
import { replayRatings } from '@f1/domain/ratings/replay';
import { CHROMIUM, chromiumAvailable, launchChromium } from '@f1/testkit/browser';
import { startLiveServer } from '@f1/testkit/live-server';
import { run } from '@f1/testkit/processes';
import { findSharedDataDir, loadCsvSeasons } from '@f1/testkit/shared-data';
import type { Page } from 'playwright-core';
import { benchRun, QUICK } from './lib/http-bench.ts';
import { type Summary, summarize } from './lib/wrk.ts';

const RUNS = QUICK ? 3 : 9;
const BAR_MS = 1_000;
const PAGES = [
  '/',
  '/dashboard/seasons/2024',
  '/dashboard/races/2024/24',
  '/dashboard/ratings',
  '/dashboard/models?season=2024',
];

if (!chromiumAvailable) {
  console.error(`bench dashboard needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(2);
}
if (!findSharedDataDir()) {
  console.error('bench dashboard needs the shared data (../shared/data or F1_TEST_DATA_DIR)');
  process.exit(2);
}

console.log('seeding 2023 + 2024, ratings, the 2024 backtest (embedded database)…');
const server = await startLiveServer({
  backend: 'pglite',
  env: { F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '100000' },
  seed: async (database) => {
    await loadCsvSeasons(database.db, { seasons: [2023, 2024] });
    await replayRatings(database.db);
  },
  prepare: async (env) => {
    const backtest = await run(['bun', 'run', 'backtest', '2024', '2024'], {
      env: { F1_ENVIRONMENT: 'test', F1_LOG_LEVEL: 'silent', ...env },
      isolated: true,
      timeoutMs: 300_000,
    });
    if (backtest.code !== 0) throw new Error(`backtest failed: ${backtest.stderr}`);
  },
});
const chrome = await launchChromium({ allow: [server.url] });
const { writeResults } = benchRun({ labelWidth: 30 });

/** One load of `urlPath`: ms from navigation start to `dashboard:ready`. */
async function load(urlPath: string, clearCache: boolean): Promise<number> {
  const page: Page = await chrome.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    if (clearCache) {
      const cdp = await chrome.context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
    }
    await page.goto(`${server.url}${urlPath}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    if (errors.length > 0) throw new Error(`${urlPath}: page errors: ${errors.join('; ')}`);
    return await page.evaluate(
      () => performance.getEntriesByName('dashboard:ready')[0]?.startTime ?? Number.NaN,
    );
  } finally {
    await page.close();
  }
}

interface Row {
  page: string;
  firstMs: number;
  newVisitorMs: Summary;
  returningMs: Summary;
  ratios: { first: number; newVisitor: number; returning: number };
}

const rows: Row[] = [];
const fmt = (s: Summary) =>
  `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`.padEnd(16);
console.log(
  `\n${'page'.padEnd(30)} ${'first ms'.padEnd(9)} ${'new visitor ms'.padEnd(16)} ${'returning ms'.padEnd(16)} ÷ ${BAR_MS} ms (first / new / returning)`,
);
try {
  for (const urlPath of PAGES) {
    const firstMs = await load(urlPath, true);
    const fresh: number[] = [];
    for (let i = 0; i < RUNS; i++) fresh.push(await load(urlPath, true));
    const kept: number[] = [];
    for (let i = 0; i < RUNS; i++) kept.push(await load(urlPath, false));
    const newVisitorMs = summarize(fresh);
    const returningMs = summarize(kept);
    const row: Row = {
      page: urlPath,
      firstMs,
      newVisitorMs,
      returningMs,
      ratios: {
        first: firstMs / BAR_MS,
        newVisitor: newVisitorMs.median / BAR_MS,
        returning: returningMs.median / BAR_MS,
      },
    };
    rows.push(row);
    console.log(
      `${urlPath.padEnd(30)} ${firstMs.toFixed(0).padEnd(9)} ${fmt(newVisitorMs)} ${fmt(returningMs)} ${row.ratios.first.toFixed(2)} / ${row.ratios.newVisitor.toFixed(2)} / ${row.ratios.returning.toFixed(2)}`,
    );
  }
  const worst = Math.max(...rows.map((r) => Math.max(r.ratios.first, r.ratios.newVisitor)));
  console.log(
    `\nworst first / new-visitor render ÷ ${BAR_MS} ms: ${worst.toFixed(2)} (${worst <= 1 ? 'meets' : 'misses'} the 1 s bar)`,
  );
  writeResults('dashboard', {
    head: { backend: server.backend, runs: RUNS, barMs: BAR_MS, pages: PAGES },
    ratios: rows,
  });
} finally {
  await chrome.close();
  await server.stop();
}
