/** `bun run db …` as a user runs it, against PGlite in a temporary data directory. */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dir, '..');
const MIGRATIONS = readdirSync(path.join(ROOT, 'db/src/migrations'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function db(args: string[], dataDir: string) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('F1_') && v !== undefined) env[k] = v;
  const proc = Bun.spawn(['bun', 'db/src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...env, F1_DATA_DIR: dataDir },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}

describe('bun run db', () => {
  test('migrate, status, history, down, and usage errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'f1-cli-'));
    try {
      const before = await db(['status'], dir);
      expect(before.code).toBe(0);
      expect(before.stdout).toContain('current:  (none)');
      expect(before.stdout).toContain(`pending:  ${MIGRATIONS.join(', ')}`);

      const migrate = await db(['migrate'], dir);
      expect(migrate.code).toBe(0);
      expect(migrate.stdout.trim().split('\n')).toEqual(MIGRATIONS.map((m) => `applied ${m}`));
      expect((await db(['migrate'], dir)).stdout.trim()).toBe('up to date');

      const status = await db(['status'], dir);
      expect(status.stdout).toContain(`current:  ${MIGRATIONS.at(-1)}`);
      expect(status.stdout).toContain('pending:  (none)');

      const history = await db(['history'], dir);
      expect(
        history.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(/\s+/).at(-1)),
      ).toEqual(MIGRATIONS);

      const down = await db(['down'], dir);
      expect(down.stdout.trim()).toBe(`reverted ${MIGRATIONS.at(-1)}`);
      expect((await db(['status'], dir)).stdout).toContain(`pending:  ${MIGRATIONS.at(-1)}`);

      const bad = await db(['sideways'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown command "sideways": expected one of migrate, down');
      const badName = await db(['new', 'Bad Name'], dir);
      expect(badName.code).toBe(2);
      expect(badName.stderr).toContain('snake_case');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
