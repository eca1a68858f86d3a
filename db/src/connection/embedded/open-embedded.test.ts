/**
 * One owner, clients through its socket, in one process (tests/embedded-shared-db.test.ts does it with
 * real processes). PGlite has one session: these tests pin down that a client's statement never runs
 * inside the owner's transaction, nor the owner's inside a client's, and that a client that dies or
 * stalls mid-transaction leaves nothing behind.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import postgres from 'postgres';
import type { DB } from '../../schema.ts';
import { connectPostgres, openSharedPglite } from '../connect.ts';
import { EmbeddedDatabaseBusyError } from './open-embedded.ts';
import { ownerAddress } from './owner.ts';
import { readOwnerSecret } from './owner-secret.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// One directory for every test (initialising a fresh one takes seconds); each test recreates table t.
const freshDir = () => path.join(root, 'pglite');
// The first test initialises the directory: ~25 s has been seen on a loaded 2-core machine.
const TIMEOUT_MS = 120_000;

const count = async (db: Kysely<DB>) =>
  (await sql<{ n: number }>`select count(*)::int as n from t`.execute(db)).rows[0]?.n;

async function ownerWithTable(dir: string, options: { holdTimeoutMs?: number } = {}) {
  const owner = await openSharedPglite(dir, options);
  expect(owner.role).toBe('owner');
  await sql`drop table if exists t`.execute(owner.db);
  await sql`create table t (id int primary key)`.execute(owner.db);
  return owner;
}

test(
  "a client's query never runs inside the owner's open transaction",
  async () => {
    const dir = freshDir();
    const owner = await ownerWithTable(dir);
    const client = await openSharedPglite(dir);
    expect(client.role).toBe('client');
    const inserted = Promise.withResolvers<void>();
    const transaction = owner.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into t values (1)`.execute(trx);
        inserted.resolve();
        await Bun.sleep(300);
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    await inserted.promise;
    // Without the session lock this ran in the owner's transaction and saw its uncommitted row.
    expect(await count(client.db)).toBe(0);
    expect(await transaction).toBe('rolled back');
    await client.close();
    await owner.close();
  },
  TIMEOUT_MS,
);

test(
  "the owner's query never runs inside a client's open transaction",
  async () => {
    const dir = freshDir();
    const owner = await ownerWithTable(dir);
    const client = await openSharedPglite(dir);
    const inserted = Promise.withResolvers<void>();
    const transaction = client.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into t values (2)`.execute(trx);
        inserted.resolve();
        await Bun.sleep(300);
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    await inserted.promise;
    expect(await count(owner.db)).toBe(0);
    expect(await transaction).toBe('rolled back');
    await client.close();
    await owner.close();
  },
  TIMEOUT_MS,
);

test(
  'concurrent transactions of the owner and two clients all commit, none interleaved',
  async () => {
    const dir = freshDir();
    const owner = await ownerWithTable(dir);
    const clients = [await openSharedPglite(dir), await openSharedPglite(dir)];
    const writers = [owner, ...clients].map(async (database, w) => {
      for (let i = 0; i < 20; i++) {
        await database.db.transaction().execute(async (trx) => {
          const base = (w * 20 + i) * 2;
          await sql`insert into t values (${base})`.execute(trx);
          await sql`insert into t values (${base + 1})`.execute(trx);
        });
      }
    });
    await Promise.all(writers);
    expect(await count(owner.db)).toBe(120);
    for (const client of clients) await client.close();
    await owner.close();
  },
  TIMEOUT_MS,
);

test(
  'a client that disconnects inside a transaction is rolled back; one that stalls is cut off',
  async () => {
    const dir = freshDir();
    // Long enough that a loaded machine never cuts off the dying client below before it has begun.
    const owner = await ownerWithTable(dir, { holdTimeoutMs: 1_000 });
    const address = ownerAddress(dir);
    const password = readOwnerSecret(dir);
    const raw = postgres({
      path: address,
      max: 1,
      onnotice: () => {},
      connect_timeout: 60,
      password,
    });
    const reserved = await raw.reserve();
    await reserved.unsafe('begin');
    await reserved.unsafe('insert into t values (10)');
    // Stalls holding the session: the owner waits, then the hold timeout cuts the client off.
    expect(await count(owner.db)).toBe(0);
    await raw.end({ timeout: 1 }).catch(() => {});

    const dying = postgres({ path: address, max: 1, onnotice: () => {}, password });
    const second = await dying.reserve();
    await second.unsafe('begin');
    await second.unsafe('insert into t values (11)');
    await dying.end({ timeout: 0 });
    expect(await count(owner.db)).toBe(0);
    await sql`insert into t values (12)`.execute(owner.db);
    expect(await count(owner.db)).toBe(1);
    await owner.close();
  },
  TIMEOUT_MS,
);

test(
  'the server refuses to be a client: one line naming the owning pid',
  async () => {
    const dir = freshDir();
    const owner = await openSharedPglite(dir);
    const refused = await openSharedPglite(dir, { requireOwner: true }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(EmbeddedDatabaseBusyError);
    const message = refused instanceof Error ? refused.message : '';
    expect(message).toContain(`in use by pid ${process.pid} (bun `);
    expect(message).not.toContain('\n');
    await owner.close();
    // Released on close: the next opener owns the directory.
    const next = await openSharedPglite(dir, { requireOwner: true });
    expect(next.role).toBe('owner');
    await next.close();
  },
  TIMEOUT_MS,
);

test(
  'an owner that is not the server waits for its clients before giving the directory up',
  async () => {
    const dir = freshDir();
    const owner = await ownerWithTable(dir);
    const client = await openSharedPglite(dir);
    await sql`insert into t values (1)`.execute(client.db);
    let closed = false;
    const closing = owner.close().then(() => {
      closed = true;
    });
    await Bun.sleep(100);
    expect(closed).toBe(false);
    // Still served while the owner waits.
    await sql`insert into t values (2)`.execute(client.db);
    await client.close();
    await closing;
    const reopened = await openSharedPglite(dir);
    expect(await count(reopened.db)).toBe(2);
    await reopened.close();
  },
  TIMEOUT_MS,
);

test(
  'raw protocol edges: SSL request answered N, garbage and cancel requests closed',
  async () => {
    const dir = freshDir();
    const owner = await openSharedPglite(dir);
    const address = ownerAddress(dir);
    const exchange = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        let got = '';
        const socket = netConnect(address);
        socket.on('connect', () => socket.write(bytes));
        socket.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          socket.destroy();
        });
        socket.on('close', () => resolve(got));
      });
    const request = (code: number, length = 8) => {
      const b = Buffer.alloc(length);
      b.writeInt32BE(length, 0);
      b.writeInt32BE(code, 4);
      return b;
    };
    expect(await exchange(request(80877103))).toBe('N');
    expect(await exchange(request(80877102, 16))).toBe('');
    expect(await exchange(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]))).toBe('');
    // The owner is unaffected.
    expect((await sql<{ one: number }>`select 1 as one`.execute(owner.db)).rows).toEqual([
      { one: 1 },
    ]);
    await owner.close();
  },
  TIMEOUT_MS,
);

test(
  'a postgres.js client with named prepared statements works too',
  async () => {
    const dir = freshDir();
    const owner = await ownerWithTable(dir);
    const named = connectPostgres('postgres://postgres@localhost/postgres', 1, {
      path: ownerAddress(dir),
      password: readOwnerSecret(dir),
    });
    await sql`insert into t values (${5})`.execute(named.db);
    expect(await count(named.db)).toBe(1);
    await named.close();
    await owner.close();
  },
  TIMEOUT_MS,
);
