/**
 * postgres.js fetches the array types on every new connection and dropped that query's promise: when
 * the type query failed (cancelled by statement_timeout, or destroyed by `end()` while the connection
 * was starting — a pool's probe timing out), its rejection was unhandled and would kill a server
 * (porsager/postgres#1192, #1205; seen here as a rare CONNECTION_DESTROYED after the killed-owner test).
 * patches/postgres@3.4.9.patch catches it; without the patch this test sees one unhandled rejection.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { describeWith, needs } from '@f1/testkit/skip';
import postgres from 'postgres';

describeWith([needs.postgres], 'the array-type query of a new connection', () => {
  let testDb: TestDatabase;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    testDb = await freshDatabase('postgres');
    process.on('unhandledRejection', record);
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    await testDb.close();
  });

  test('a cancelled type query fails no one and leaves the connection usable', async () => {
    // 1 ms is shorter than the catalog query: PostgreSQL cancels it (57014) on every new connection.
    const sql = postgres(testDb.url ?? '', {
      max: 1,
      onnotice: () => {},
      connection: { statement_timeout: 1 },
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await sql`SELECT 1 AS one`.then(
          (rows) => `ok ${rows[0]?.one}`,
          (error: Error) => `failed ${error.message}`,
        ),
      );
    await Bun.sleep(50);
    await sql.end({ timeout: 1 });
    expect(unhandled).toEqual([]);
    expect(outcomes.at(-1)).toBe('ok 1');
  });

  test('a connection ended while it fetches types leaves no unhandled rejection', async () => {
    for (let i = 0; i < 5; i++) {
      const sql = postgres(testDb.url ?? '', { max: 1, onnotice: () => {} });
      const query = sql`SELECT 1`.catch((error: Error) => error.message);
      // Ends (destroys) the connection while it is still starting.
      await Bun.sleep(i);
      await sql.end({ timeout: 0 });
      await query;
    }
    await Bun.sleep(50);
    expect(unhandled).toEqual([]);
  });
});
