/**
 * The owner dies (SIGKILL) under a connected CLI: the CLI's queries fail as DatabaseUnavailableError
 * within seconds — before the postgres.js patch the client hung at 85 % CPU (`socket.write` on null) —
 * and work again once a new owner is up (which has a new secret).
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSharedPglite } from '@f1/db/connection/connect';
import { findDatabaseUnavailable } from '@f1/db/connection/errors';
import { sql } from 'kysely';

const root = mkdtempSync(path.join(tmpdir(), 'f1-owner-killed-'));
const dir = path.join(root, 'pglite');
const connectModule = path.resolve(import.meta.dir, '../db/src/connection/connect.ts');
const children: Array<ReturnType<typeof Bun.spawn>> = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const OWNER = `
import { sql } from 'kysely';
const { openSharedPglite } = await import(process.argv.at(-2));
const owner = await openSharedPglite(process.argv.at(-1), { requireOwner: true });
await sql\`create table if not exists t (id serial primary key)\`.execute(owner.db);
console.log('ready');
setInterval(() => {}, 1000);
`;

async function startOwner() {
  const child = Bun.spawn([process.execPath, '-e', OWNER, connectModule, dir], {
    cwd: path.resolve(import.meta.dir, '..'),
    stdout: 'pipe',
    stderr: 'inherit',
  });
  children.push(child);
  const reader = child.stdout.getReader();
  let out = '';
  while (!out.includes('ready')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`owner exited before it was ready: ${out}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return child;
}

test('a CLI connected to a killed owner fails fast, then works with the next owner', async () => {
  const first = await startOwner();
  const client = await openSharedPglite(dir);
  expect(client.role).toBe('client');
  let committed = 0;
  let failure: unknown = null;
  let failedAt = 0;
  const loop = (async () => {
    for (;;) {
      try {
        await client.db.transaction().execute(async (trx) => {
          await sql`insert into t default values`.execute(trx);
          await sql`select count(*) from t`.execute(trx);
        });
        committed++;
      } catch (error) {
        failure = error;
        failedAt = performance.now();
        return;
      }
    }
  })();
  while (committed < 20) await Bun.sleep(10);
  const killedAt = performance.now();
  first.kill('SIGKILL');
  await Promise.race([loop, Bun.sleep(30_000)]);
  expect(findDatabaseUnavailable(failure)).not.toBeNull();
  expect((failedAt - killedAt) / 1000).toBeLessThan(5);

  await startOwner();
  const deadline = performance.now() + 30_000;
  let rows: number | null = null;
  while (rows === null && performance.now() < deadline) {
    rows = await sql<{ n: number }>`select count(*)::int as n from t`
      .execute(client.db)
      .then((r) => r.rows[0]?.n ?? null)
      .catch(() => null);
    if (rows === null) await Bun.sleep(100);
  }
  expect(rows).toBeGreaterThanOrEqual(committed);
  await client.close();
}, 120_000);
