/**
 * `Database.listen` on PostgreSQL: how the servers on one PostgreSQL hear each other's and the CLIs'
 * cache invalidations without Redis. A notification from any connection of any process on the same
 * database reaches the listeners of its channel once its transaction commits (the sender's own too);
 * the listening connection is one of its own, re-opened after PostgreSQL restarts, and then says so
 * (`onReconnect`), since what was sent meanwhile is lost.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type PrivatePostgres, startPrivatePostgres } from '@f1/testkit/private-postgres';
import { describeWith, needs } from '@f1/testkit/skip';
import { until } from '@f1/testkit/wait';
import { connectPostgres, type Database } from './connect.ts';
import { notify } from './notify.ts';

describeWith([needs.postgres], 'LISTEN/NOTIFY on PostgreSQL', () => {
  let testDb: TestDatabase;
  let listener: Database;
  let sender: Database;
  beforeAll(async () => {
    testDb = await freshDatabase('postgres');
    listener = connectPostgres(testDb.url ?? '', 1);
    sender = connectPostgres(testDb.url ?? '', 1);
  });
  afterAll(async () => {
    await sender.close();
    await listener.close();
    await testDb.close();
  });

  test("another process's notify reaches the listeners of its channel once committed, until unsubscribed", async () => {
    const listen = listener.listen;
    if (!listen) throw new Error('a PostgreSQL database must offer listen');
    const heard: string[] = [];
    const other: string[] = [];
    const stop = await listen('f1_test', (p) => heard.push(p));
    await listen('f1_other', (p) => other.push(p));

    await notify(sender.db, 'f1_test', '["race:2021:1"]');
    await sender.db.transaction().execute((trx) => notify(trx, 'f1_test', 'committed'));
    await sender.db
      .transaction()
      .execute(async (trx) => {
        await notify(trx, 'f1_test', 'rolled back');
        throw new Error('roll back');
      })
      .catch(() => {});
    // The listener's own process is heard too (servers skip their own by origin).
    await notify(listener.db, 'f1_test', 'own');
    await until(async () => heard.length >= 3, 5_000);
    expect(heard).toEqual(['["race:2021:1"]', 'committed', 'own']);
    expect(other).toEqual([]);

    stop();
    await notify(sender.db, 'f1_test', 'after');
    await notify(sender.db, 'f1_other', 'still');
    await until(async () => other.length >= 1, 5_000);
    expect(other).toEqual(['still']);
    expect(heard).toHaveLength(3);
  });

  test('payloads PostgreSQL refuses fail the sender (8000 bytes and more)', async () => {
    await expect(notify(sender.db, 'f1_test', 'x'.repeat(8_000))).rejects.toThrow(/too long/);
    await notify(sender.db, 'f1_test', 'x'.repeat(7_999));
  });

  test("the embedded owner's clients do not offer it (listen: false)", async () => {
    const client = connectPostgres(testDb.url ?? '', 1, { listen: false });
    try {
      expect(client.listen).toBeUndefined();
    } finally {
      await client.close();
    }
  });
});

describeWith([needs.privatePostgres], 'LISTEN across a PostgreSQL restart', () => {
  let pg: PrivatePostgres;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
  }, 60_000);
  afterAll(() => pg?.destroy());

  test('the listener is back after a restart, says so once, and hears what is sent then', async () => {
    const listener = connectPostgres(pg.url, 1);
    const sender = connectPostgres(pg.url, 1);
    try {
      const heard: string[] = [];
      let reconnects = 0;
      const listen = listener.listen;
      if (!listen) throw new Error('a PostgreSQL database must offer listen');
      await listen(
        'f1_test',
        (p) => heard.push(p),
        () => reconnects++,
      );
      await notify(sender.db, 'f1_test', 'before');
      await until(async () => heard.length >= 1, 5_000);
      expect(reconnects).toBe(0);

      await pg.stop('immediate');
      await Bun.sleep(1_000);
      await pg.start();
      await until(async () => reconnects >= 1, 10_000);
      expect(reconnects).toBe(1);
      // The sender's pool reconnects through its circuit: retry until it is through.
      await until(
        async () =>
          notify(sender.db, 'f1_test', 'after').then(
            () => true,
            () => false,
          ),
        10_000,
      );
      await until(async () => heard.includes('after'), 5_000);
      expect(heard).toEqual(['before', 'after']);
    } finally {
      await sender.close();
      await listener.close();
    }
  }, 60_000);
});
