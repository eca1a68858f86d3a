/**
 * The availability circuit and the driver's handling of lost connections, on real PostgreSQL: backends
 * are killed with pg_terminate_backend, and an outage is a client factory that points at a closed port.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { describeWith, needs } from '@f1/testkit/skip';
import { Kysely, sql } from 'kysely';
import postgres from 'postgres';
import { DatabaseUnavailableError } from './errors.ts';
import { PostgresJsPoolDialect } from './postgres-driver.ts';
import { PostgresPool } from './postgres-pool.ts';

/** Nothing listens on port 1. */
const DEAD_URL = 'postgres://postgres@127.0.0.1:1/none';

interface T {
  t: { id: number };
}

describeWith([needs.postgres], 'PostgresPool and the driver when connections are lost', () => {
  let testDb: TestDatabase;
  let admin: postgres.Sql;
  const app = `f1t-pool-${process.pid}`;
  let target = '';
  const events: string[] = [];
  let pool: PostgresPool;
  let db: Kysely<T>;

  beforeAll(async () => {
    testDb = await freshDatabase('postgres');
    target = testDb.url ?? '';
    admin = postgres(target, { max: 1, onnotice: () => {} });
    await admin`CREATE TABLE t (id int PRIMARY KEY)`;
    pool = new PostgresPool(
      () =>
        postgres(target, {
          max: 1,
          onnotice: () => {},
          connect_timeout: 2,
          backoff: () => 0.05,
          connection: { application_name: app },
        }),
      {
        probeIntervalMs: 50,
        onDown: (error) => events.push(`down ${(error as { code?: string }).code}`),
        onUp: () => events.push('up'),
      },
    );
    db = new Kysely<T>({ dialect: new PostgresJsPoolDialect(pool) });
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.end();
    await testDb?.close();
  });

  const killPool = () =>
    admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${app}`;
  const untilServing = async () => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        return await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError) || Date.now() > deadline) throw error;
        await Bun.sleep(20);
      }
    }
  };
  const ids = async () =>
    (await db.selectFrom('t').select('id').orderBy('id').execute()).map((r) => r.id);

  test('a transaction whose connection dies while idle fails whole; later statements never reach another session', async () => {
    await untilServing();
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('t').values({ id: 1 }).execute();
        await killPool();
        // The pool re-opens the dead connection for another query while the transaction is idle.
        await Bun.sleep(100);
        await sql`SELECT 1`.execute(db).catch(() => {});
        await trx.insertInto('t').values({ id: 2 }).execute();
        return 'committed';
      })
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(DatabaseUnavailableError);
    await untilServing();
    expect(await ids()).toEqual([]);
  });

  test('a statement in flight when the server ends the session is DatabaseUnavailableError; the pool comes back', async () => {
    await untilServing();
    events.length = 0;
    const slow = sql`SELECT pg_sleep(5)`.execute(db).catch((error: unknown) => error);
    await Bun.sleep(100);
    await killPool();
    expect(await slow).toBeInstanceOf(DatabaseUnavailableError);
    expect(events[0]).toMatch(/^down (57P01|CONNECTION_CLOSED|ECONNRESET)$/);
    expect((await untilServing()).rows).toEqual([{ one: 1 }]);
    expect(events).toContain('up');
    expect(pool.available).toBe(true);
  });

  test('while the server is unreachable every query fails at once; the first probe that answers closes the circuit', async () => {
    await untilServing();
    events.length = 0;
    target = DEAD_URL;
    try {
      const slow = sql`SELECT pg_sleep(5)`.execute(db).catch((error: unknown) => error);
      await Bun.sleep(100);
      await killPool();
      expect(await slow).toBeInstanceOf(DatabaseUnavailableError);
      expect(pool.available).toBe(false);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const error = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DatabaseUnavailableError);
        expect((error as DatabaseUnavailableError).retryAfterSeconds).toBe(1);
        // No connect attempt (and no 2 s connect timeout): the circuit answers. Loose for a loaded machine.
        expect(performance.now() - started).toBeLessThan(1_000);
        const trx = await db
          .transaction()
          .execute(() => Promise.resolve())
          .catch((e: unknown) => e);
        expect(trx).toBeInstanceOf(DatabaseUnavailableError);
        await Bun.sleep(50);
      }
      expect(events).toEqual([expect.stringMatching(/^down /)]);
    } finally {
      target = testDb.url ?? '';
    }
    await untilServing();
    expect(events.at(-1)).toBe('up');
    // Every connection is usable: concurrent transactions on a one-connection pool all commit.
    await Promise.all(
      [11, 12, 13, 14].map((id) =>
        db.transaction().execute((trx) => trx.insertInto('t').values({ id }).execute()),
      ),
    );
    expect(await ids()).toEqual([11, 12, 13, 14]);
  });

  test('patched postgres.js: a statement on a sql.begin() connection that died rejects, never throws from a timer', async () => {
    const client = postgres(testDb.url ?? '', { max: 1, onnotice: () => {} });
    let statement: unknown;
    let finished = () => {};
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const outcome = await client
      .begin(async (tx) => {
        try {
          const [row] = await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await admin`SELECT pg_terminate_backend(${row?.pid ?? 0})`;
          await Bun.sleep(100);
          statement = await tx`SELECT 1`.catch((error: unknown) => error);
        } finally {
          finished();
        }
      })
      .catch((error: unknown) => error);
    await done;
    await Bun.sleep(50);
    expect((outcome as { code?: string }).code).toBe('CONNECTION_CLOSED');
    expect((statement as { code?: string }).code).toBe('CONNECTION_CLOSED');
    await client.end({ timeout: 1 });
  });

  test('a query error that is not about the connection leaves the circuit closed', async () => {
    await untilServing();
    events.length = 0;
    const error = await sql`SELECT 1/0`.execute(db).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('22012');
    expect(pool.available).toBe(true);
    expect(events).toEqual([]);
  });
});
