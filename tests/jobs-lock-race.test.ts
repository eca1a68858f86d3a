/**
 * Two real `bun run jobs --once queue` processes racing for the scheduler's lock on real Redis and
 * PostgreSQL, against a fake Jolpica served over HTTP: exactly one runs the queued ingestion; a holder
 * killed with SIGKILL keeps the lock only until its lease expires, and the next holder gets a higher
 * fencing token. Needs F1_TEST_DATABASE_URL and F1_TEST_REDIS_URL (skipped with a printed reason).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import { enqueueIngestionRun, getIngestionRun } from '@f1/db/ingestion/runs';
import { fakeJolpica, serveFake } from '@f1/jobs/sources/jolpica/testing';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';

const MAIN = path.join(import.meta.dir, '..', 'jobs', 'src', 'scheduler', 'main.ts');
const redisUrl = testRedisUrl();

describeWith([needs.postgres, needs.redis], 'job processes racing for the lock', () => {
  const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
  const server = serveFake(fake);
  let database: TestDatabase;
  const lockName = `race-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
  }, 60_000);
  afterAll(async () => {
    server.stop(true);
    await database.close();
  });

  const spawnJob = () =>
    Bun.spawn(['bun', MAIN, '--once', 'queue'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        F1_ENVIRONMENT: 'test',
        F1_LOG_LEVEL: 'info',
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: redisUrl ?? '',
        F1_ERGAST_BASE_URL: server.baseUrl,
        F1_ERGAST_REQUESTS_PER_SECOND: '100',
        F1_ERGAST_RETRY_ATTEMPTS: '0',
        F1_JOBS_LOCK_NAME: lockName,
        F1_JOBS_LOCK_TTL: '5',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });

  test('two processes at once: one runs the queued season, the other skips', async () => {
    const { run } = await enqueueIngestionRun(database.db, {
      kind: 'season',
      season: 2021,
      requestedBy: 'test',
    });
    fake.fail(/./, { delayMs: 400 }, 100); // a slow source keeps the winner inside its job
    const [a, b] = [spawnJob(), spawnJob()];
    const codes = (await Promise.all([a.exited, b.exited])).sort();
    fake.faults.length = 0;
    expect(codes).toEqual([0, 3]);
    // One season ingestion: schedule, season page, results, sprint, qualifying.
    expect(fake.requests.length).toBe(5);
    const stored = await getIngestionRun(database.db, run.id);
    expect(stored).toMatchObject({ status: 'succeeded' });
    expect(stored?.stats.fence).toBe(1);
    const results = await database.db
      .selectFrom('race_results as r')
      .innerJoin('races as ra', 'ra.id', 'r.race_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('ra.season', '=', 2021)
      .executeTakeFirstOrThrow();
    expect(Number(results.n)).toBe(8);
  }, 60_000);

  test('a holder killed mid-job blocks others only until its lease expires; the next token is higher', async () => {
    await enqueueIngestionRun(database.db, { kind: 'season', season: 1955, requestedBy: 'test' });
    fake.fail(/1955/, { delayMs: 10_000 }, 1);
    const seen = fake.requests.length;
    const doomed = spawnJob();
    while (fake.requests.length === seen) await Bun.sleep(20);
    doomed.kill('SIGKILL');
    await doomed.exited;

    expect(await spawnJob().exited).toBe(3); // the dead holder's lease is still running
    await Bun.sleep(5_500);
    const retried = await enqueueIngestionRun(database.db, {
      kind: 'season',
      season: 1955,
      requestedBy: 'test',
    });
    expect(retried.created).toBe(true); // the killed run is stuck in "running", not queued
    const successor = spawnJob();
    expect(await successor.exited).toBe(0);
    const stored = await getIngestionRun(database.db, retried.run.id);
    expect(stored).toMatchObject({ status: 'succeeded' });
    expect(stored?.stats.fence).toBe(3);
  }, 60_000);
});
