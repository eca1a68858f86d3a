/**
 * `NOTIFY` from a client of the embedded database reaches its owner's listeners (`Database.listen`):
 * how a CLI's cache invalidations reach the server without Redis. The client's notification comes back
 * in its own replies on the shared session; the owner's relay picks it out and dispatches it.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openSharedPglite } from '../connect.ts';
import { notify } from '../notify.ts';
import type { EmbeddedDatabase } from './open-embedded.ts';
import { ReplyWatcher } from './wire-framing.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-notify-'));
const dir = path.join(root, 'pglite');
let owner: EmbeddedDatabase;
let client: EmbeddedDatabase;

beforeAll(async () => {
  owner = await openSharedPglite(dir);
  client = await openSharedPglite(dir);
}, 120_000);
afterAll(async () => {
  await client.close();
  await owner.close();
  rmSync(root, { recursive: true, force: true });
});

const until = async (done: () => boolean) => {
  for (let i = 0; i < 100 && !done(); i++) await Bun.sleep(20);
};

test("a client's notify reaches the owner's listeners of that channel only, until unsubscribed", async () => {
  expect([owner.role, client.role]).toEqual(['owner', 'client']);
  const heard: string[] = [];
  const other: string[] = [];
  const listen = owner.listen;
  if (!listen) throw new Error('the owner must offer listen');
  const stop = await listen('f1_test', (p) => heard.push(p));
  await listen('f1_other', (p) => other.push(p));
  expect(client.listen).toBeUndefined();

  await notify(client.db, 'f1_test', '["race:2021:1"]');
  // Inside a transaction: delivered once it commits, never for a rollback.
  await client.db.transaction().execute((trx) => notify(trx, 'f1_test', 'committed'));
  await client.db
    .transaction()
    .execute(async (trx) => {
      await notify(trx, 'f1_test', 'rolled back');
      throw new Error('roll back');
    })
    .catch(() => {});
  await until(() => heard.length >= 2);
  expect(heard).toEqual(['["race:2021:1"]', 'committed']);
  expect(other).toEqual([]);

  // The owner's own notify is heard too (PGlite's in-process path).
  await notify(owner.db, 'f1_other', 'own');
  await until(() => other.length >= 1);
  expect(other).toEqual(['own']);

  stop();
  await notify(client.db, 'f1_test', 'after');
  await sql`SELECT 1`.execute(client.db);
  await Bun.sleep(100);
  expect(heard).toEqual(['["race:2021:1"]', 'committed']);
}, 60_000);

test('the reply watcher finds a notification split across chunks, next to other messages', () => {
  const heard: { channel: string; payload: string }[] = [];
  const watcher = new ReplyWatcher((n) => heard.push(n));
  const body = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ch\0{"a":1}\0')]);
  const message = Buffer.alloc(5 + body.length);
  message[0] = 0x41;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
  const stream = Buffer.concat([message, ready]);
  watcher.push(stream.subarray(0, 7));
  watcher.push(stream.subarray(7));
  expect(heard).toEqual([{ channel: 'ch', payload: '{"a":1}' }]);
  expect(watcher.status).toBe('I');
});
