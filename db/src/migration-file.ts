import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from './migrator.ts';

const TEMPLATE = `import type { Kysely } from 'kysely';
import { runStatements } from '../migration-sql.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, []);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, []);
}
`;

/** `YYYY_MM_DD_HHMMSS` in UTC: file names sort in creation order, which is the order Kysely applies. */
export function migrationTimestamp(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/** Writes an empty migration named `<timestamp>_<name>.ts`; returns its path. */
export function createMigrationFile(
  name: string | undefined,
  dir = MIGRATIONS_DIR,
  now = new Date(),
): string {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('migration name must be snake_case: lowercase letters, digits and underscores');
  }
  const file = path.join(dir, `${migrationTimestamp(now)}_${name}.ts`);
  if (existsSync(file)) throw new Error(`${file} already exists`);
  writeFileSync(file, TEMPLATE);
  return file;
}
