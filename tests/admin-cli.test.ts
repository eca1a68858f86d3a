/** `bun run admin …` as an operator runs it: a separate process against a fresh database. */
import { afterAll, beforeAll, expect } from 'bun:test';
import path from 'node:path';
import { authServices, TEST_PASSWORD } from '@f1/testkit/auth';
import { freshDatabase, type TestDatabase, testDatabaseUrl } from '@f1/testkit/postgres';
import { testApp, testClient } from '@f1/testkit/server';
import { needs, testWith } from '@f1/testkit/skip';

const ROOT = path.resolve(import.meta.dir, '..');

let database: TestDatabase | undefined;
beforeAll(async () => {
  if (testDatabaseUrl()) database = await freshDatabase('postgres');
}, 60_000);
afterAll(() => database?.close());

async function admin(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('F1_') && v !== undefined) env[k] = v;
  const proc = Bun.spawn(['bun', 'run', 'admin', ...args], {
    cwd: ROOT,
    env: { ...env, F1_DATABASE_URL: database?.url ?? '', F1_BCRYPT_COST: '10', ...options.env },
    stdin: options.stdin === undefined ? 'ignore' : new Blob([options.stdin]),
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

testWith(
  [needs.postgres],
  'create-user (stdin or F1_ADMIN_PASSWORD) and create-api-key give working credentials',
  async () => {
    const fromStdin = await admin(['create-user', 'root@example.test', '--role', 'admin'], {
      stdin: `${TEST_PASSWORD}\n`,
    });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toMatch(/^created admin root@example\.test \(id \d+\)/);
    expect(fromStdin.stdout + fromStdin.stderr).not.toContain(TEST_PASSWORD);

    const fromEnv = await admin(['create-user', 'ops@example.test'], {
      env: { F1_ADMIN_PASSWORD: 'another long passphrase' },
    });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain('created user ops@example.test');

    const key = await admin(['create-api-key', 'nightly model', '--role', 'ml_service']);
    expect(key.code).toBe(0);
    const lastLine = key.stdout.trimEnd().split('\n').at(-1) ?? '';
    expect(lastLine).toMatch(/^f1k_[0-9a-f]{72}$/);

    if (!database) throw new Error('no test database');
    const app = testApp(authServices({ database }));
    const login = await testClient(app).auth.login.mutate({
      email: 'root@example.test',
      password: TEST_PASSWORD,
    });
    expect(login.user.role).toBe('admin');
    const me = await testClient(app, { headers: { 'x-api-key': lastLine } }).auth.me.query();
    expect(me.kind === 'api_key' && me.apiKey).toMatchObject({
      name: 'nightly model',
      role: 'ml_service',
    });

    const refused = await admin(['create-user', 'root@example.test'], {
      stdin: `${TEST_PASSWORD}\n`,
    });
    expect(refused.code).toBe(1);
    // `bun run` wraps the script's own stderr line in its echo and exit notice.
    expect(refused.stderr).toContain('\nan account with this email already exists\n');
    const usage = await admin([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('a command is missing: expected one of create-user');
  },
  60_000,
);
