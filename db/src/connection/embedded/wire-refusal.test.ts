/**
 * What PGlite's backend cannot survive never reaches it: a message type outside the protocol (FATAL,
 * and the owner hung for good) or COPY FROM STDIN (the WASM instance exits). The client is closed with
 * a FATAL naming why; the owner and other clients go on.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import postgres from 'postgres';
import { connectPostgres, openSharedPglite } from '../connect.ts';
import { ownerAddress } from './owner.ts';
import { readOwnerSecret } from './owner-secret.ts';
import { refusal, sanitizedStartup } from './wire-framing.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-wire-refusal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const message = (type: string, body = '') => {
  const bytes = Buffer.from(body);
  const out = Buffer.alloc(5 + bytes.length);
  out[0] = type.charCodeAt(0);
  out.writeInt32BE(4 + bytes.length, 1);
  bytes.copy(out, 5);
  return out;
};

test('only protocol messages PGlite survives are relayed', () => {
  for (const type of 'QPBEDCSHdcf') expect(refusal(message(type, 'x\0'))).toBeNull();
  for (const type of ['~', 'F', 'p', 'A', '\0'])
    expect(refusal(message(type))).toContain('is not relayed');
  for (const text of [
    'COPY t FROM STDIN',
    'copy t (a, b) from stdin with (format csv)',
    'copy t from/* x */stdin',
    'copy t from -- x\n stdin',
    // A comment ended by a carriage return (a re-attack got past a shape-matching filter this way).
    'COPY zz FROM --x\rSTDIN',
    'select 1; copy t from "stdin"',
  ]) {
    expect(refusal(message('Q', `${text}\0`))).toContain('COPY … FROM');
    expect(refusal(message('P', `\0${text}\0\0\0`))).toContain('COPY … FROM');
  }
  expect(refusal(message('Q', 'select 1 from stdin_log\0'))).toBeNull();
  expect(refusal(message('Q', 'copy t to stdout\0'))).toBeNull();
});

test('a client sending COPY FROM STDIN is closed with the reason; the owner and others go on', async () => {
  const dir = path.join(root, 'pglite');
  const owner = await openSharedPglite(dir);
  expect(owner.role).toBe('owner');
  await sql`create table if not exists t (a int)`.execute(owner.db);
  const copier = connectPostgres('postgres://postgres@localhost/postgres', 1, {
    path: ownerAddress(dir),
    password: readOwnerSecret(dir),
    prepare: false,
  });
  // Without the refusal the owner's PGlite exits here ("unexpected EOF on client connection").
  const refused = await sql`copy t from stdin`.execute(copier.db).catch((error: Error) => error);
  expect(String(refused)).toMatch(/COPY … FROM is not supported|unavailable|closed/i);
  await copier.close().catch(() => {});
  await sql`insert into t values (1)`.execute(owner.db);
  const other = await openSharedPglite(dir);
  expect(other.role).toBe('client');
  expect(
    (await sql<{ n: number }>`select count(*)::int as n from t`.execute(other.db)).rows,
  ).toEqual([{ n: 1 }]);
  await other.close();
  await owner.close();
}, 120_000);

test('startup parameters other than user and database never reach the shared session', () => {
  const params = Buffer.from(
    'user\0postgres\0replication\0database\0database\0postgres\0options\0-c x=1\0\0',
  );
  const startup = Buffer.alloc(8 + params.length);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4);
  params.copy(startup, 8);
  const kept = sanitizedStartup(startup);
  expect(kept.readInt32BE(0)).toBe(kept.length);
  expect(kept.subarray(8).toString('latin1')).toBe('user\0postgres\0database\0postgres\0\0');
});

test("a client's session settings and startup parameters do not outlive its turn", async () => {
  const dir = path.join(root, 'pglite');
  const owner = await openSharedPglite(dir);
  await sql`create table if not exists t (a int)`.execute(owner.db);
  const address = ownerAddress(dir);
  const password = readOwnerSecret(dir);
  // Without the reset, every later write of the owner failed: "cannot execute INSERT in a read-only
  // transaction" (the audit log included).
  const setter = postgres({ path: address, max: 1, onnotice: () => {}, password, prepare: false });
  await setter.unsafe('set default_transaction_read_only = on');
  await sql`insert into t values (2)`.execute(owner.db);
  await setter.end({ timeout: 1 });
  // Without the startup filter the shared session switched into replication mode for good.
  const replica = postgres({
    path: address,
    max: 1,
    onnotice: () => {},
    password,
    prepare: false,
    connection: { replication: 'database' },
  });
  await replica.unsafe('select 1').catch(() => {});
  await replica.end({ timeout: 1 });
  await sql`insert into t values (3)`.execute(owner.db);
  const rows = await sql<{ a: number }>`select a from t where a in (2, 3) order by a`.execute(
    owner.db,
  );
  expect(rows.rows).toEqual([{ a: 2 }, { a: 3 }]);
  await owner.close();
}, 120_000);
