import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import {
  createUser,
  findCredentialsByEmail,
  findUserById,
  listUsers,
  normalizeEmail,
  recordLogin,
  UserError,
  updateUser,
} from './users.ts';

test('emails are normalised: trimmed and lower-cased', () => {
  expect(normalizeEmail('  Ada@Example.TEST ')).toBe('ada@example.test');
});

describeEachBackend('users queries', (database) => {
  test('create, find by email (any case) and id, duplicate email refused', async () => {
    const db = database().db;
    const user = await createUser(db, {
      email: 'Ada@Example.test',
      passwordHash: '$2b$10$x',
      name: 'Ada',
    });
    expect(user).toMatchObject({
      email: 'ada@example.test',
      name: 'Ada',
      role: 'user',
      disabledAt: null,
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    const creds = await findCredentialsByEmail(db, 'ADA@example.test ');
    expect(creds).toMatchObject({ id: user.id, passwordHash: '$2b$10$x' });
    expect(await findCredentialsByEmail(db, 'nobody@example.test')).toBeNull();
    expect(await findUserById(db, user.id)).toEqual(user);
    expect(await findUserById(db, 999_999)).toBeNull();
    const dup = await createUser(db, { email: 'ada@EXAMPLE.test', passwordHash: 'h' }).catch(
      (e: unknown) => e,
    );
    expect(dup).toBeInstanceOf(UserError);
    expect((dup as UserError).code).toBe('email_taken');
  });

  test('recordLogin stamps the time and may replace the hash; update and list', async () => {
    const db = database().db;
    const user = await createUser(db, {
      email: 'grace@example.test',
      passwordHash: 'old',
      role: 'ml_service',
    });
    await recordLogin(db, { userId: user.id });
    expect((await findUserById(db, user.id))?.lastLoginAt).toBeInstanceOf(Date);
    await recordLogin(db, { userId: user.id, passwordHash: 'new' });
    expect((await findCredentialsByEmail(db, 'grace@example.test'))?.passwordHash).toBe('new');

    const disabled = await updateUser(db, { id: user.id, disabled: true, role: 'admin' });
    expect(disabled).toMatchObject({ role: 'admin' });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    // Disabling again keeps the original time.
    const again = await updateUser(db, { id: user.id, disabled: true });
    expect(again.disabledAt?.getTime()).toBe(disabled.disabledAt?.getTime());
    expect((await updateUser(db, { id: user.id, disabled: false })).disabledAt).toBeNull();
    expect(updateUser(db, { id: 999_999, role: 'user' })).rejects.toBeInstanceOf(UserError);

    const page1 = await listUsers(db, { limit: 1 });
    expect(page1).toHaveLength(1);
    const page2 = await listUsers(db, { limit: 10, cursor: page1[0]?.id });
    expect(page2.every((u) => u.id < (page1[0]?.id ?? 0))).toBe(true);
  });
});
