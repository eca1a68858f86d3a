/** Pool statistics as /metrics reads them: postgres.js's queues (patched in) and the embedded owner's session. */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@f1/testkit/postgres';
import { needs, testWith } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { connectPostgres, openPglite, openSharedPglite } from './connect.ts';
import { clientPoolStats } from './pool-stats.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-pool-stats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a client without poolStats() says nothing', () => {
  expect(clientPoolStats({})).toBeNull();
  expect(clientPoolStats({ poolStats: 'not a function' })).toBeNull();
});

for (const driver of ['prepared-pool', 'kysely-postgres-js'] as const) {
  testWith(
    [needs.postgres],
    `PostgreSQL (${driver}): a transaction holds a connection, queries beyond the pool wait`,
    async () => {
      const url = testDatabaseUrl();
      if (!url) throw new Error('F1_TEST_DATABASE_URL is not set');
      const database = connectPostgres(url, 2, { driver });
      try {
        await sql`select 1`.execute(database.db);
        const idle = database.poolStats?.();
        expect(idle).toMatchObject({ max: 2, inUse: 0, waiting: 0 });
        expect(idle?.idle).toBeGreaterThanOrEqual(1);

        let inside: (() => void) | undefined;
        const entered = new Promise<void>((resolve) => {
          inside = resolve;
        });
        let finish: (() => void) | undefined;
        const held = new Promise<void>((resolve) => {
          finish = resolve;
        });
        // Two transactions take both connections; a third query has to wait for one of them.
        const transactions = [1, 2].map(() =>
          database.db.transaction().execute(async (trx) => {
            await sql`select 1`.execute(trx);
            inside?.();
            await held;
          }),
        );
        await entered;
        await Bun.sleep(50);
        const third = sql`select 1`.execute(database.db);
        await Bun.sleep(20);
        const busy = database.poolStats?.();
        expect(busy?.inUse).toBe(2);
        expect(busy?.waiting).toBe(1);
        finish?.();
        await Promise.all([...transactions, third]);
        expect(database.poolStats?.()?.waiting).toBe(0);
      } finally {
        await database.close();
      }
    },
    30_000,
  );
}

test('the embedded owner: one session, in use while a unit of work holds it; a client process waits for it', async () => {
  const dir = path.join(root, 'pglite');
  const owner = await openSharedPglite(dir);
  // What a CLI gets while the server owns the directory: a connection through the owner's socket.
  const client = await openPglite(dir);
  try {
    await sql`select 1`.execute(client.db);
    expect(owner.poolStats?.()).toEqual({ max: 1, inUse: 0, idle: 1, waiting: 0, clients: 1 });
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: (() => void) | undefined;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const transaction = owner.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      started?.();
      await held;
    });
    try {
      await inside;
      const waiter = sql`select 1`.execute(client.db);
      await Bun.sleep(20);
      expect(owner.poolStats?.()).toMatchObject({ inUse: 1, idle: 0, waiting: 1 });
      release?.();
      await waiter;
    } finally {
      release?.();
      await transaction;
    }
    expect(owner.poolStats?.()).toMatchObject({ inUse: 0, waiting: 0 });
  } finally {
    await client.close();
    await owner.close();
  }
}, 60_000);
