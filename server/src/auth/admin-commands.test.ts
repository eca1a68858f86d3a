import { expect, test } from 'bun:test';
import { findCredentialsByEmail } from '@f1/db/auth/users';
import { TEST_PASSWORD } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { type AdminIo, planAdminCommand, runAdminCommand, UsageError } from './admin-commands.ts';

describeEachBackend('admin commands', (database) => {
  const io = (password: string | null = null, stdin = TEST_PASSWORD) => {
    const lines: string[] = [];
    const value: AdminIo = {
      db: database().db,
      config: { bcryptCost: 10, adminPassword: password },
      readPassword: async () => stdin,
      print: (line) => void lines.push(line),
    };
    return { io: value, lines };
  };
  const usage = async (run: Promise<void>) => {
    try {
      await run;
      return 'ok';
    } catch (error) {
      return error instanceof UsageError ? error.message : `unexpected ${String(error)}`;
    }
  };

  test('create-user takes the password from F1_ADMIN_PASSWORD first, else stdin', async () => {
    const a = io('from the environment');
    await runAdminCommand(a.io, [
      'create-user',
      'Env@Example.test',
      '--role',
      'admin',
      '--name',
      'Env',
    ]);
    expect(a.lines[0]).toMatch(/^created admin env@example\.test \(id \d+\)$/);
    const stored = await findCredentialsByEmail(database().db, 'env@example.test');
    expect(await Bun.password.verify('from the environment', stored?.passwordHash ?? '')).toBe(
      true,
    );
    expect(stored?.name).toBe('Env');

    const b = io(null, TEST_PASSWORD);
    await runAdminCommand(b.io, ['create-user', 'stdin@example.test']);
    expect(b.lines[0]).toContain('created user stdin@example.test');
    const audit = await database()
      .db.selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'cli.create-user')
      .execute();
    expect(audit).toHaveLength(2);
  });

  test('create-api-key prints the key alone on the last line; list and revoke', async () => {
    const a = io();
    await runAdminCommand(a.io, ['create-api-key', 'ml', 'runner', '--expires-days', '30']);
    const key = a.lines.at(-1) ?? '';
    expect(key).toMatch(/^f1k_[0-9a-f]{72}$/);
    expect(a.lines[0]).toMatch(/^created API key (\d+) "ml runner" \(ml_service\), prefix f1k_/);
    expect(a.lines[1]).toMatch(/^expires \d{4}-/);
    const id = a.lines[0]?.match(/API key (\d+)/)?.[1] ?? '';

    const list = io();
    await runAdminCommand(list.io, ['list-api-keys']);
    expect(list.lines.join('\n')).toContain(key.slice(0, 12));
    expect(list.lines.join('\n')).not.toContain(key);
    expect(list.lines.join('\n')).toMatch(/active\s+ml runner/);

    const revoke = io();
    await runAdminCommand(revoke.io, ['revoke-api-key', id]);
    expect(revoke.lines[0]).toBe(`revoked API key ${id} (${key.slice(0, 12)})`);
    const after = io();
    await runAdminCommand(after.io, ['list-api-keys']);
    expect(after.lines.join('\n')).toMatch(/revoked\s+ml runner/);
  });

  test('operator mistakes are usage errors naming the problem', async () => {
    expect(await usage(runAdminCommand(io().io, []))).toStartWith('a command is missing');
    expect(await usage(runAdminCommand(io().io, ['frobnicate']))).toStartWith(
      'unknown command "frobnicate"',
    );
    expect(await usage(runAdminCommand(io().io, ['create-user']))).toBe(
      'create-user takes one <email>',
    );
    for (const email of ['notanemail', 'a@b', 'a b@c.test']) {
      expect(() => planAdminCommand(['create-user', email])).toThrow(
        `create-user <email> must be an email address, got "${email}"`,
      );
    }
    expect(() => planAdminCommand(['create-user', 'a@b.test', '--name', 'n'.repeat(101)])).toThrow(
      '--name must be 1–100 characters, got 101',
    );
    expect(() => planAdminCommand(['create-user', 'a@b.test', '--name', '  '])).toThrow(
      '--name must be 1–100 characters, got 0',
    );
    expect(
      await usage(runAdminCommand(io().io, ['create-user', 'a@b.test', '--role', 'root'])),
    ).toBe('--role must be one of user, ml_service, admin, got "root"');
    expect(await usage(runAdminCommand(io('short').io, ['create-user', 'a@b.test']))).toBe(
      'password must be at least 12 characters',
    );
    expect(await usage(runAdminCommand(io().io, ['create-api-key']))).toBe(
      'create-api-key takes a <name> of 1–100 characters',
    );
    expect(
      await usage(runAdminCommand(io().io, ['create-api-key', 'x', '--expires-days', '0'])),
    ).toBe('--expires-days must be a whole number from 1 to 99999, got "0"');
    expect(
      await usage(runAdminCommand(io().io, ['create-api-key', 'x', '--expires-days', '100000'])),
    ).toBe('--expires-days must be a whole number from 1 to 99999, got "100000"');
    expect(await usage(runAdminCommand(io().io, ['create-api-key', 'bad\u001b[2Jname']))).toBe(
      'create-api-key: <name> must not contain control characters',
    );
    expect(await usage(runAdminCommand(io().io, ['revoke-api-key', 'abc']))).toBe(
      'revoke-api-key takes a numeric <id>, got "abc"',
    );
    expect(await usage(runAdminCommand(io().io, ['revoke-api-key', '99999']))).toBe(
      'no API key with id 99999',
    );
    expect(
      await usage(runAdminCommand(io().io, ['create-user', 'a@b.test', '--rol', 'admin'])),
    ).toBe('unknown option --rol');
    const empty = io();
    await runAdminCommand(empty.io, ['list-api-keys']);
  });
});
