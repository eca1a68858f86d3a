/**
 * The owner's socket takes only clients that send the owner's secret: anyone on the machine can
 * connect to an abstract unix socket (its name is listed in /proc/net/unix), so without the secret a
 * local user ran SQL as superuser and could hold the session to stall the server.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { needs, testWith } from '@f1/testkit/skip';
import { sql } from 'kysely';
import postgres from 'postgres';
import { openSharedPglite } from '../connect.ts';
import type { EmbeddedDatabase } from './open-embedded.ts';
import { ownerAddress } from './owner.ts';
import { ownerSecretPath, readOwnerSecret } from './owner-secret.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-wire-auth-'));
// Traversable by others, so only the data directory's own mode and the secret file's protect them.
chmodSync(root, 0o755);
const dir = path.join(root, 'pglite');
let owner: EmbeddedDatabase;

beforeAll(async () => {
  owner = await openSharedPglite(dir);
  await sql`drop table if exists pwned`.execute(owner.db);
}, 120_000);
afterAll(async () => {
  await owner.close();
  rmSync(root, { recursive: true, force: true });
});

const tableExists = async () =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from pg_tables where tablename = 'pwned'`.execute(owner.db)
  ).rows[0]?.n === 1;

function typed(type: string, body: string): Buffer {
  const payload = Buffer.from(`${body}\0`);
  const message = Buffer.alloc(5 + payload.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + payload.length, 1);
  payload.copy(message, 5);
  return message;
}

function startup(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const message = Buffer.alloc(8 + params.length);
  message.writeInt32BE(8 + params.length, 0);
  message.writeInt32BE(196608, 4);
  params.copy(message, 8);
  return message;
}

/** Sends `bytes` at once and collects everything the owner answers until it closes the connection. */
function exchange(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const socket = netConnect(ownerAddress(dir));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(got));
  });
}

const CREATE = typed('Q', 'create table pwned (id int)');

test('the secret is a 0600 file in a 0700 data directory', () => {
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(ownerSecretPath(dir)).mode & 0o777).toBe(0o600);
  expect(readOwnerSecret(dir)).toMatch(/^[0-9a-f]{64}$/);
});

test('a client sending SQL instead of a password is refused, and nothing reaches PGlite', async () => {
  const answer = await exchange(Buffer.concat([startup(), CREATE]));
  expect(answer.startsWith('R\0\0\0\x08\0\0\0\x03')).toBe(true);
  expect(answer).toContain('28P01');
  expect(answer).not.toContain('CREATE TABLE');
  expect(await tableExists()).toBe(false);
});

test('a wrong password is refused, and what follows it is never run', async () => {
  const answer = await exchange(Buffer.concat([startup(), typed('p', 'guess'), CREATE]));
  expect(answer).toContain('password authentication failed');
  expect(answer).not.toContain('CREATE TABLE');
  expect(await tableExists()).toBe(false);
});

test('postgres.js: no password and a wrong one are refused (28P01); the secret works', async () => {
  const attempt = async (password?: string) => {
    const client = postgres({ path: ownerAddress(dir), max: 1, onnotice: () => {}, password });
    try {
      return (await client`select 1 as one`)[0]?.one;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await client.end({ timeout: 1 });
    }
  };
  expect(await attempt()).toBe('28P01');
  expect(await attempt('0'.repeat(64))).toBe('28P01');
  expect(await attempt(readOwnerSecret(dir))).toBe(1);
  // The shared client reads the secret itself.
  const client = await openSharedPglite(dir);
  expect(client.role).toBe('client');
  expect((await sql<{ one: number }>`select 1 as one`.execute(client.db)).rows).toEqual([
    { one: 1 },
  ]);
  await client.close();
});

const FOREIGN = `
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
const [secretPath, name, bytes] = process.argv.slice(-3);
const address = name.startsWith('@') ? \`\\0\${name.slice(1)}\` : name;
let secret = 'read';
try { readFileSync(secretPath, 'utf8'); } catch (error) { secret = error.code; }
const socket = connect(address);
let got = '';
socket.on('connect', () => socket.write(Buffer.from(bytes, 'base64')));
socket.on('data', (d) => { got += d.toString('latin1'); });
socket.on('error', () => {});
socket.on('close', () => console.log(JSON.stringify({ secret, refused: got.includes('28P01'), ran: got.includes('CREATE TABLE') })));
`;

testWith(
  [needs.that(process.getuid?.() === 0, 'switching to uid 65534 with setpriv needs root')],
  'another local user can neither read the secret nor get in',
  async () => {
    const guess = Buffer.concat([startup(), typed('p', ''), CREATE]).toString('base64');
    const proc = Bun.spawn(
      [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '-e',
        FOREIGN,
        ownerSecretPath(dir),
        // An abstract name starts with NUL, which no argument can hold.
        ownerAddress(dir).replace(/^\0/, '@'),
        guess,
      ],
      { cwd: '/', stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } },
    );
    const [out, err] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    expect(await proc.exited, err).toBe(0);
    expect(JSON.parse(out)).toEqual({ secret: 'EACCES', refused: true, ran: false });
    expect(await tableExists()).toBe(false);
  },
  60_000,
);
