/**
 * A serving process survives a fault outside any request: an exception thrown from a library
 * callback and a rejection nobody awaited are each logged as one line, and requests keep being served.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type TestDatabase, testDatabaseUrl } from '@f1/testkit/postgres';
import { type ServerProcess, serverEnv, startProcess } from '@f1/testkit/processes';

const FIXTURE = path.join(import.meta.dir, 'fixtures', 'fault-on-signal.ts');
let server: ServerProcess;
let dataDir: string;
let database: TestDatabase | null = null;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'f1-faults-'));
  // Any back end will do; PostgreSQL (when there is one) starts far quicker than an embedded one.
  database = testDatabaseUrl() ? await freshDatabase('postgres') : null;
  server = await startProcess(['bun', '--preload', FIXTURE, 'server/src/main.ts'], {
    env: serverEnv(database ? { F1_DATABASE_URL: database.url ?? '' } : { F1_DATA_DIR: dataDir }),
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an exception from a callback and an unhandled rejection are logged, and the server keeps serving', async () => {
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  process.kill(server.pid, 'SIGUSR2');
  const guarded = () =>
    server
      .errors()
      .split('\n')
      .filter((line) => line.includes('the server keeps serving'));
  // Until both are logged, or the process died of one (then the assertions below say so).
  const deadline = Date.now() + 10_000;
  while (guarded().length < 2 && server.alive() && Date.now() < deadline) await Bun.sleep(20);
  expect(server.alive()).toBe(true);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  const lines = guarded();
  expect(lines).toHaveLength(2);
  expect(lines.find((line) => line.includes('uncaught exception'))).toContain(
    'TypeError: thrown from a library callback',
  );
  expect(lines.find((line) => line.includes('unhandled rejection'))).toContain(
    'Error: rejected and never awaited',
  );
}, 30_000);
