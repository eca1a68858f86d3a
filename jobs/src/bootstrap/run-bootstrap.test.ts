/**
 * The bootstrap loop's edge cases against the fake source over the project's mini export (1955 one
 * race; 2021 two rounds): a season the source has no races for, the current season (never recorded as
 * done), a round that fails its schema (the season stays to do, the next goes on), a source failing
 * past its retries (stop; the rerun resumes), and the budget seed of earlier attempts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'bun:test';
import { completedBootstrapSeasons } from '@f1/db/ingestion/bootstrap';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { setupServer } from 'msw/node';
import type { Progress } from '../cli/progress.ts';
import { SourceHttp } from '../sources/http/http.ts';
import { JolpicaClient } from '../sources/jolpica/client.ts';
import { FAKE_BASE_URL, fakeJolpica } from '../sources/jolpica/testing.ts';
import { bootstrapSeed, runBootstrap } from './run-bootstrap.ts';

const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
const server = setupServer(...fake.handlers);
let database: TestDatabase;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(async () => {
  database = await freshDatabase('pglite');
}, 60_000);
afterEach(async () => {
  fake.faults.length = 0;
  await database?.close();
});
afterAll(() => server.close());

const client = () =>
  new JolpicaClient(
    new SourceHttp({
      timeoutMs: 2_000,
      retryAttempts: 1,
      requestsPerSecond: 1_000,
      hourlyBudget: 500,
      backoffBaseMs: 1,
    }),
    FAKE_BASE_URL,
  );

function recorder() {
  const lines: string[] = [];
  const progress: Progress = {
    start: (label, total) => lines.push(`start ${label} ${total}`),
    tick: (note) => lines.push(`tick ${note}`),
    log: (line) => lines.push(line),
    done: () => lines.push('done'),
  };
  return { lines, progress };
}

const run = (range: { from: number; to: number }, currentSeason = 2026) => {
  const r = recorder();
  const source = client();
  return runBootstrap(
    {
      db: database.db,
      client: source,
      progress: r.progress,
      budget: { perSecond: 4, perHour: 500, usedThisHour: () => source.stats.requests },
      currentSeason,
    },
    range,
  ).then((result) => ({ ...result, lines: r.lines, requests: source.stats.requests }));
};

test('a season without races at the source and the current season stay to do; the rest is done', async () => {
  const first = await run({ from: 1955, to: 1956 }, 2021);
  expect(first.loaded).toEqual([1955]);
  expect(first.failures).toEqual([]);
  expect(first.lines).toContainEqual(
    expect.stringMatching(/^tick 1956: 5 requests, no races at the source; done$/),
  );
  expect(await completedBootstrapSeasons(database.db, { from: 1950, to: 2030 })).toEqual([1955]);

  // 2021 as the current season: loaded, not recorded as done, so the next run tops it up.
  const current = await run({ from: 2021, to: 2021 }, 2021);
  expect(current.report.roundsWritten).toEqual([1, 2, 3]);
  expect(await completedBootstrapSeasons(database.db, { from: 2021, to: 2021 })).toEqual([]);
  const again = await run({ from: 2021, to: 2021 }, 2021);
  expect(again.requests).toBeGreaterThan(0);
  expect(again.report.totals.created).toBe(0); // the same data: nothing new

  // Every attempt within the hour seeds the next run's budget.
  expect((await bootstrapSeed(database.db)).length).toBe(
    first.requests + current.requests + again.requests,
  );
}, 60_000);

test('a round failing its schema leaves its season to do, and the next season still runs', async () => {
  fake.fail(
    /2021\/results\.json/,
    {
      mutate: (body) => {
        const races = (
          body.MRData as { RaceTable: { Races: { round: string; Results: { laps?: string }[] }[] } }
        ).RaceTable.Races;
        const row = races.find((r) => r.round === '2')?.Results[0];
        if (row) row.laps = 'fifty';
      },
    },
    10,
  );
  const result = await run({ from: 2021, to: 2022 });
  expect(result.failures).toEqual([
    '2021 round 2: Results[0].laps: expected an integer, got "fifty"',
  ]);
  expect(result.loaded).toEqual([]);
  expect(result.lines).toContainEqual(expect.stringMatching(/^tick 2022: /));
  expect(await completedBootstrapSeasons(database.db, { from: 2021, to: 2022 })).toEqual([]);
}, 60_000);

test('a source failing past its retries stops the bootstrap, naming the season; a rerun resumes', async () => {
  fake.fail(/\/1955/, { status: 503 }, 10);
  const failed = await run({ from: 1955, to: 2021 });
  expect(failed.failures).toEqual([expect.stringMatching(/^1955: .*503/)]);
  expect(failed.stopped).toBe(false);
  expect(failed.loaded).toEqual([]);
  fake.faults.length = 0;
  const rerun = await run({ from: 1955, to: 1955 });
  expect(rerun.loaded).toEqual([1955]);
}, 60_000);

test('an abort before the first season stops at once', async () => {
  const controller = new AbortController();
  controller.abort('SIGINT');
  const r = recorder();
  const result = await runBootstrap(
    {
      db: database.db,
      client: client(),
      progress: r.progress,
      signal: controller.signal,
      budget: { perSecond: 4, perHour: 500, usedThisHour: () => 0 },
    },
    { from: 1955, to: 1956 },
  );
  expect(result.stopped).toBe(true);
  expect(r.lines).toContain('stopped (SIGINT) before 1955 was complete');
});
