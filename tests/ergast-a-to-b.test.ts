/**
 * Our ingestion reads our own Ergast facade: instance A is a real server process on a database loaded
 * from the Ergast export (2024); instance B is `bun run ingest season 2024` (a real CLI process, its own
 * database) with F1_ERGAST_BASE_URL pointed at A's /ergast/f1. Then:
 *
 * - B's 2024 (schedule, sessions, results, sprint, qualifying: `dumpSeason`) and its standings after
 *   every round equal A's;
 * - `bun run ingest validate 2024` against A's standings endpoints passes on both databases with the
 *   same verdict line (every round, every row).
 *
 * The Jolpica client paces requests (4/s) with an hourly budget shared through Redis: here the pacer
 * runs under a private Redis key prefix at 100 requests/s with a large budget, so the test measures the
 * request count, not the courtesy delay. Requests and durations are printed.
 * Needs F1_TEST_DATABASE_URL (two databases, a CLI process beside a server) and ../shared/data.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Database } from '@f1/db/connection/connect';
import { connectPostgres } from '@f1/db/connection/connect';
import { storedSeasonTables } from '@f1/db/standings/refresh';
import { dumpSeason } from '@f1/jobs/ingestion/testing';
import { loadContractData } from '@f1/testkit/ergast-contract-data';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { run } from '@f1/testkit/processes';
import { testPrefix, testRedisUrl } from '@f1/testkit/redis';
import { findSharedDataDir, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';

const SEASON = 2024;

/**
 * What the dialect can carry of A's season: a result's `Time` is given for classified finishers only
 * (ergast-api.md), so a time the export keeps for a disqualified car (Hamilton, 2024 Belgian GP, round
 * 14) does not travel and B stores none. Everything else must arrive unchanged.
 */
function dialectView(dump: Awaited<ReturnType<typeof dumpSeason>>) {
  const classified = (row: Record<string, unknown>) => /^[0-9]+$/.test(String(row.position_text));
  const withoutTime = (row: Record<string, unknown>) =>
    classified(row) ? row : { ...row, time_millis: null, time_text: null };
  return { ...dump, results: dump.results.map(withoutTime), sprint: dump.sprint.map(withoutTime) };
}

describeWith(
  [needs.postgres, needs.that(findSharedDataDir() !== null, SHARED_DATA_MISSING)],
  'ingesting 2024 from our own Ergast facade (A → B)',
  () => {
    let a: LiveServer;
    let aDatabaseUrl = '';
    let aDatabase: Database;
    let b: TestDatabase;
    const redisPrefix = testPrefix();

    beforeAll(async () => {
      a = await startLiveServer({
        seed: async (database) => {
          await loadContractData(database.db, { seasons: [SEASON] });
        },
        prepare: async (env) => {
          aDatabaseUrl = env.F1_DATABASE_URL ?? '';
        },
        // The facade's own rate limit is not under test here.
        env: { F1_RATE_LIMIT_REQUESTS: '100000' },
      });
      aDatabase = connectPostgres(aDatabaseUrl, 2);
      b = await freshDatabase('postgres');
    }, 120_000);

    afterAll(async () => {
      await aDatabase?.close();
      await a?.stop();
      await b?.close();
    });

    /** `bun run ingest …` against A, on the database at `databaseUrl`. */
    const ingest = async (args: string[], databaseUrl: string) => {
      const started = performance.now();
      const result = await run(['bun', 'run', 'ingest', ...args], {
        isolated: true,
        timeoutMs: 300_000,
        env: {
          F1_ENVIRONMENT: 'test',
          F1_LOG_LEVEL: 'silent',
          F1_DATABASE_URL: databaseUrl,
          F1_ERGAST_BASE_URL: `${a.url}/ergast/f1`,
          // B paces itself under A's facade limit (F1_ERGAST_FACADE_RATE_LIMIT, 20/s by default),
          // as a client of the real source paces itself under 4/s: no 429 is expected.
          F1_ERGAST_REQUESTS_PER_SECOND: '15',
          F1_ERGAST_HOURLY_BUDGET: '100000',
          ...(testRedisUrl()
            ? { F1_REDIS_URL: testRedisUrl() ?? '', F1_REDIS_KEY_PREFIX: redisPrefix }
            : {}),
        },
      });
      const ms = performance.now() - started;
      const requests = Number(/requests: (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
      const throttled = Number(/429s: (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
      console.warn(
        `A→B: ingest ${args.join(' ')}: exit ${result.code}, ${requests} requests, ${(ms / 1000).toFixed(1)} s\n${result.stdout}${result.stderr}`,
      );
      return { ...result, requests, throttled, ms };
    };

    test('B ingests 2024 from A: its season and standings equal A’s', async () => {
      const season = await ingest(['season', String(SEASON)], b.url ?? '');
      expect(season.stderr).not.toContain('FAILED');
      expect(season.code).toBe(0);
      expect(season.throttled).toBe(0);
      // The schedule and the season page, then ~479 result, 120 sprint and ~479 qualifying rows at
      // 100 a page.
      expect(season.requests).toBeLessThanOrEqual(2 + 5 + 2 + 5);
      expect(await dumpSeason(b.db, SEASON)).toEqual(
        dialectView(await dumpSeason(aDatabase.db, SEASON)),
      );
      const standingsB = await storedSeasonTables(b.db, SEASON);
      expect(standingsB.length).toBe(24);
      expect(standingsB).toEqual(await storedSeasonTables(aDatabase.db, SEASON));
    }, 300_000);

    test('validate 2024 against A’s standings: the same verdict on A’s and B’s databases', async () => {
      const onA = await ingest(['validate', String(SEASON)], aDatabaseUrl);
      const onB = await ingest(['validate', String(SEASON)], b.url ?? '');
      const verdict = (stderr: string) =>
        stderr.split('\n').find((l) => l.startsWith(`${SEASON}:`));
      expect(onA.code).toBe(0);
      expect(onB.code).toBe(0);
      expect(verdict(onA.stderr)).toBe(
        `${SEASON}: standings after all 24 round(s) equal the official ones (759 rows)`,
      );
      expect(verdict(onB.stderr)).toBe(verdict(onA.stderr));
      // Two standings requests a round.
      expect(onB.requests).toBe(48);
      expect([onA.throttled, onB.throttled]).toEqual([0, 0]);
    }, 300_000);
  },
);
