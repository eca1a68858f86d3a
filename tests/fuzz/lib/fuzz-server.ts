/**
 * The system under fuzz: a real `bun server/src/main.ts` process on a fresh PostgreSQL database (the
 * 2023 season from the shared Ergast export, or the project's mini export without it, plus two future
 * races that take predictions) and the real Redis under a private key prefix.
 *
 * The default rate limit is raised and the server trusts one proxy hop, so every request can carry its
 * own X-Forwarded-For address: the per-IP login/register limits (which no setting lifts) would answer
 * 429 before input validation and hide most of what is fuzzed; the per-account login limit is met by
 * each request's own email (own-account.ts). The server's log is kept for the report; `restart()` brings a
 * dead process back on the same database.
 */

import { refreshStandings } from '@f1/domain/standings/refresh';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { startServer } from '@f1/testkit/processes';
import { testRedisUrl } from '@f1/testkit/redis';
import { findSharedDataDir, loadCsvSeasons, MINI_EXPORT_DIR } from '@f1/testkit/shared-data';

/** The server's signing key: the raw cases sign access tokens with odd claims. */
export const JWT_SECRET = 'fuzz-server-secret-'.padEnd(48, 'x');

export interface FuzzServer {
  url: string;
  database: TestDatabase;
  /** What the data is: `2023 season` or `mini export`. */
  data: string;
  /** Output of every process started so far (last 200 kB). */
  output(): string;
  alive(): boolean;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function seed(database: TestDatabase): Promise<string> {
  if (findSharedDataDir()) {
    await loadCsvSeasons(database.db, { seasons: [2023] });
    await seedPredictionRaces(database.db);
    await refreshStandings(database.db);
    return '2023 season + prediction fixture';
  }
  await importCsv(database.db, { dirs: [MINI_EXPORT_DIR] });
  await refreshStandings(database.db);
  return 'mini export';
}

export async function startFuzzServer(): Promise<FuzzServer> {
  const database = await freshDatabase('postgres');
  const data = await seed(database);
  const env: Record<string, string> = {
    F1_JWT_SECRET_KEY: JWT_SECRET,
    F1_DATABASE_URL: database.url ?? '',
    F1_REDIS_URL: testRedisUrl() ?? '',
    F1_REDIS_KEY_PREFIX: `f1t:fuzz:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`,
    F1_RATE_LIMIT_REQUESTS: '1000000',
    F1_ERGAST_FACADE_RATE_LIMIT: '100000',
    F1_TRUSTED_PROXIES: '1',
    F1_BCRYPT_COST: '10',
  };
  // Warnings and errors go to stderr: that is the log the report reads. Earlier processes' logs are kept.
  let earlier = '';
  let server = await startServer(env);
  return {
    get url() {
      return server.url;
    },
    database,
    data,
    output: () => (earlier + server.errors()).slice(-200_000),
    alive: () => server.alive(),
    restart: async () => {
      earlier += server.errors();
      await server.stop();
      server = await startServer(env);
    },
    stop: async () => {
      await server.stop();
      await database.close();
    },
  };
}
