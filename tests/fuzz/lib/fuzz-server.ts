/**
 * The system under fuzz: a real `bun server/src/main.ts` process on a fresh PostgreSQL database (the
 * 2023 season from the shared Ergast export, or the project's mini export without it, plus two future
 * races that take predictions) and the real Redis under a private key prefix.
 *
 * Rate limits are lifted and the server trusts one proxy hop, so every request can carry its own
 * X-Forwarded-For address: per-IP login/register limits answer 429 before input validation and would
 * otherwise hide most of what is fuzzed. The server's output is drained (a full pipe would block it)
 * and kept for the report; `restart()` brings a dead process back on the same database.
 */
import path from 'node:path';
import { seedPredictionRaces } from '@f1/db/predictions/testing';
import { refreshStandings } from '@f1/db/queries/ingestion-standings';
import { freshDatabase, type TestDatabase } from '@f1/db/testing';
import { importCsv } from '@f1/jobs/csv/import-csv';
import { findSharedDataDir, loadCsvSeasons, MINI_EXPORT_DIR } from '@f1/jobs/testing';
import { testRedisUrl } from '@f1/server/testing';

const ROOT = path.resolve(import.meta.dir, '../../..');
const MAIN = path.join(ROOT, 'server/src/main.ts');

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
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    F1_ENVIRONMENT: 'test',
    F1_HOST: '127.0.0.1',
    F1_PORT: '0',
    F1_LOG_LEVEL: 'info',
    F1_JWT_SECRET_KEY: JWT_SECRET,
    F1_DATABASE_URL: database.url ?? '',
    F1_REDIS_URL: testRedisUrl() ?? '',
    F1_REDIS_KEY_PREFIX: `f1t:fuzz:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`,
    F1_RATE_LIMIT_REQUESTS: '1000000',
    F1_TRUSTED_PROXIES: '1',
    F1_BCRYPT_COST: '10',
  };
  let output = '';
  let proc: ReturnType<typeof Bun.spawn> | null = null;
  let url = '';
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output = (output + decoder.decode(chunk)).slice(-200_000);
  };

  const spawn = async () => {
    const child = Bun.spawn(['bun', MAIN], { cwd: ROOT, env, stdout: 'pipe', stderr: 'pipe' });
    proc = child;
    const mark = output.length;
    void drain(child.stdout);
    void drain(child.stderr);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(output.slice(mark))?.[1];
      if (port) {
        url = `http://127.0.0.1:${port}`;
        return;
      }
      if (child.exitCode !== null) break;
      await Bun.sleep(50);
    }
    throw new Error(`the fuzz server did not start:\n${output.slice(-4_000)}`);
  };

  const kill = async () => {
    const child = proc;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await child.exited;
    clearTimeout(timer);
  };

  await spawn();
  return {
    get url() {
      return url;
    },
    database,
    data,
    output: () => output,
    alive: () => proc !== null && proc.exitCode === null,
    restart: async () => {
      await kill();
      await spawn();
    },
    stop: async () => {
      await kill();
      await database.close();
    },
  };
}
