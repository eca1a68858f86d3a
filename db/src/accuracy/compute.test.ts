import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { sql } from 'kysely';
import { scoreRaces } from './compute.ts';

describeEachBackend('scoreRaces', (database) => {
  // Advisory locks live in PostgreSQL's shared lock table (64 × max_connections slots by default):
  // one lock per race made two concurrent 5,000-race bulk submissions fail "out of shared memory".
  test('scoring 5,000 races holds a bounded number of advisory locks', async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => i + 1);
    const held = await database()
      .db.transaction()
      .execute(async (trx) => {
        await scoreRaces(trx, ids);
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND pid = pg_backend_pid()`.execute(trx);
        return rows[0]?.n;
      });
    expect(held).toBe(512);
  });
});
