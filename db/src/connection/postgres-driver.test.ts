import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { describeWith, needs } from '@f1/testkit/skip';
import { isAbortedTransactionError, sql } from 'kysely';
import { connectPostgres, type Database } from './connect.ts';

describeWith([needs.postgres], 'the pooled prepared-statement driver (PostgreSQL)', () => {
  let test_db: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test_db = await freshDatabase('postgres');
    database = connectPostgres(test_db.url ?? '', 1);
    await sql`CREATE TABLE t (id int PRIMARY KEY, v numeric(6, 2), d date)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await test_db.close();
  });
  const db = () =>
    database.db as unknown as import('kysely').Kysely<{
      t: { id: number; v: number | null; d: string | null };
    }>;

  test('runs statements prepared, with the shared type parsers and affected-row counts', async () => {
    const inserted = await db()
      .insertInto('t')
      .values([
        { id: 1, v: 12.5, d: '2024-03-02' },
        { id: 2, v: 3, d: null },
      ])
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
    expect(await db().selectFrom('t').select(['id', 'v', 'd']).orderBy('id').execute()).toEqual([
      { id: 1, v: 12.5, d: '2024-03-02' },
      { id: 2, v: 3, d: null },
    ]);
    const updated = await db()
      .updateTable('t')
      .set({ v: 4 })
      .where('id', '=', 2)
      .executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    // One pooled connection: it holds the statements postgres.js prepared for the queries above.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'update "t"%'`.execute(
      database.db,
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  test('a transaction runs on one connection and commits', async () => {
    const pids = await database.db.transaction().execute(async (trx) => {
      const a = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      await sql`SET LOCAL application_name = 'f1-trx'`.execute(trx);
      const name = await sql<{
        name: string;
      }>`SELECT current_setting('application_name') AS name`.execute(trx);
      const b = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      await sql`INSERT INTO t (id) VALUES (10)`.execute(trx);
      return { a: a.rows[0]?.pid, b: b.rows[0]?.pid, name: name.rows[0]?.name };
    });
    expect(pids.a).toBe(pids.b);
    expect(pids.name).toBe('f1-trx');
    expect(await db().selectFrom('t').select('id').where('id', '=', 10).execute()).toEqual([
      { id: 10 },
    ]);
  });

  test('a failing transaction rolls back whole, with the PostgreSQL error code', async () => {
    const error = await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO t (id) VALUES (20)`.execute(trx);
        await sql`INSERT INTO t (id) VALUES (20)`.execute(trx);
      })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('23505');
    expect(await db().selectFrom('t').select('id').where('id', '=', 20).execute()).toEqual([]);
  });

  test('an error swallowed inside the transaction makes commit report the abort', async () => {
    const error = await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO t (id) VALUES (30)`.execute(trx);
        await sql`SELECT 1/0`.execute(trx).catch(() => {});
      })
      .catch((e: unknown) => e);
    expect(isAbortedTransactionError(error)).toBe(true);
    expect(await db().selectFrom('t').select('id').where('id', '=', 30).execute()).toEqual([]);
  });

  test('savepoints of a controlled transaction roll back part of the work', async () => {
    const trx = await database.db.startTransaction().execute();
    await sql`INSERT INTO t (id) VALUES (40)`.execute(trx);
    const sp = await trx.savepoint('before_41').execute();
    await sql`INSERT INTO t (id) VALUES (41)`.execute(sp);
    const back = await sp.rollbackToSavepoint('before_41').execute();
    await back.commit().execute();
    expect(await db().selectFrom('t').select('id').where('id', 'in', [40, 41]).execute()).toEqual([
      { id: 40 },
    ]);
  });

  test('concurrent queries beyond the pool size are queued, and streaming works', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        sql<{ n: number }>`SELECT ${i}::int AS n`.execute(database.db).then((r) => r.rows[0]?.n),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const chunks: number[][] = [];
    for await (const row of db().selectFrom('t').select('id').orderBy('id').stream(2))
      chunks.push([row.id]);
    expect(chunks.flat()).toEqual([1, 2, 10, 40]);
  });
});
