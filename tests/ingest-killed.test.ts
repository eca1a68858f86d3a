/**
 * A real `bun run ingest season` process killed with SIGKILL in the middle of a round's transaction:
 * the rounds it committed stay, the round it was writing leaves no trace (not even the statements it
 * had already run in that transaction), and a rerun completes the rest.
 *
 * The test holds a row lock on round 2's results, so the child commits round 1, then blocks inside
 * round 2's transaction after updating the race's name; it is killed while PostgreSQL shows it waiting.
 * Needs F1_TEST_DATABASE_URL (skipped with a printed reason).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import { fakeJolpica, serveFake } from '@f1/jobs/sources/jolpica/testing';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';
import { until } from '@f1/testkit/wait';
import postgres from 'postgres';

const CLI = path.join(import.meta.dir, '..', 'jobs', 'src', 'cli', 'main.ts');

describeWith([needs.postgres], 'an ingestion killed mid-round', () => {
  const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR], seasons: [2021] });
  const server = serveFake(fake);
  let database: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    sql = postgres(database.url ?? '', { max: 3, onnotice: () => {} });
  }, 60_000);
  afterAll(async () => {
    server.stop(true);
    await sql.end();
    await database.close();
  });

  const ingest = () =>
    Bun.spawn(['bun', CLI, 'season', '2021'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        F1_ENVIRONMENT: 'test',
        F1_DATABASE_URL: database.url ?? '',
        F1_ERGAST_BASE_URL: server.baseUrl,
        F1_ERGAST_REQUESTS_PER_SECOND: '100',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });

  /** Per round: the race's name and its results' total points, as committed. */
  const committed = async () =>
    Object.fromEntries(
      (
        await sql<{ round: number; name: string; points: number }[]>`
            SELECT r.round, r.name, coalesce(sum(x.points), 0)::float8 AS points
            FROM races r LEFT JOIN race_results x ON x.race_id = r.id
            WHERE r.season = 2021 GROUP BY r.round, r.name ORDER BY r.round`
      ).map((r) => [r.round, { name: r.name, points: r.points }]),
    );

  test('leaves whole rounds only; a rerun completes the rest', async () => {
    const first = ingest();
    expect(await first.exited).toBe(0);
    const before = await committed();
    expect(Object.keys(before)).toEqual(['1', '2', '3']);
    expect(before['2']?.points).toBeGreaterThan(0);

    // The source revises rounds 1 and 2: a new name and one more point for every classified car.
    for (const race of fake.races) if (race.round <= 2) race.name = `${race.name} (revised)`;
    for (const result of fake.results) result.points = (result.points ?? 0) + 1;
    const count = (round: number) => fake.results.filter((r) => r.round === round).length;
    const after = {
      1: {
        name: `${before['1']?.name} (revised)`,
        points: (before['1']?.points ?? 0) + count(1),
      },
      2: {
        name: `${before['2']?.name} (revised)`,
        points: (before['2']?.points ?? 0) + count(2),
      },
    };

    // Hold round 2's result rows, so the child's round-2 transaction blocks half-way.
    const holder = await sql.reserve();
    let blocked = 0;
    const child = { proc: null as ReturnType<typeof ingest> | null };
    try {
      await holder`BEGIN`;
      await holder`
          SELECT x.race_id FROM race_results x JOIN races r ON r.id = x.race_id
          WHERE r.season = 2021 AND r.round = 2 FOR UPDATE OF x`;
      const proc = ingest();
      child.proc = proc;
      await until(async () => {
        const [waiting] = await sql<{ pid: number }[]>`
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        blocked = waiting?.pid ?? 0;
        return blocked !== 0;
      });
      // Round 1 is committed; round 2's rename, already run inside the blocked transaction, is not.
      const midway = await committed();
      expect(midway['1']).toEqual(after[1]);
      expect(midway['2']).toEqual(before['2']);

      proc.kill('SIGKILL');
      expect(await proc.exited).not.toBe(0);
    } finally {
      child.proc?.kill('SIGKILL');
      await holder`ROLLBACK`;
      holder.release();
    }
    // The orphaned transaction ends when its backend notices the client is gone.
    await until(
      async () => (await sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${blocked}`).length === 0,
    );
    const killed = await committed();
    expect(killed['1']).toEqual(after[1]);
    expect(killed['2']).toEqual(before['2']);
    expect(killed['3']).toEqual(before['3']);

    const rerun = ingest();
    const [code, stdout] = await Promise.all([rerun.exited, new Response(rerun.stdout).text()]);
    expect(code).toBe(0);
    expect(stdout).toContain('race_results');
    const done = await committed();
    expect(done['1']).toEqual(after[1]);
    expect(done['2']).toEqual(after[2]);
    expect(done['3']).toEqual(before['3']);
  }, 60_000);
});
