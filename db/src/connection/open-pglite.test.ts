/** openPglite with a directory goes through the owner (it used to open the files unclaimed). */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openPglite, openSharedPglite } from './connect.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-open-pglite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('openPglite(dir) while another opener owns dir shares its database', async () => {
  const dir = path.join(root, 'pglite');
  const owner = await openSharedPglite(dir);
  await sql`create table t (id int)`.execute(owner.db);
  const second = await openPglite(dir);
  await sql`insert into t values (1), (2)`.execute(second.db);
  // A second copy of the files would have its own memory: the owner would not see these rows.
  const rows = await sql<{ n: number }>`select count(*)::int as n from t`.execute(owner.db);
  expect(rows.rows).toEqual([{ n: 2 }]);
  await second.close();
  await owner.close();
}, 120_000);

test('openPglite() is in memory', async () => {
  const database = await openPglite();
  const rows = await sql<{ one: number }>`select 1 as one`.execute(database.db);
  expect(rows.rows).toEqual([{ one: 1 }]);
  await database.close();
}, 120_000);
