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
import { connectPostgres, openSharedPglite } from '../connect.ts';
import { ownerAddress } from './owner.ts';
import { readOwnerSecret } from './owner-secret.ts';
import { refusal } from './wire-framing.ts';

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
  ]) {
    expect(refusal(message('Q', `${text}\0`))).toContain('COPY FROM STDIN');
    expect(refusal(message('P', `\0${text}\0\0\0`))).toContain('COPY FROM STDIN');
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
  expect(String(refused)).toMatch(/COPY FROM STDIN is not supported|unavailable|closed/i);
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
