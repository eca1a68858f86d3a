/**
 * User accounts. Emails are stored trimmed and lower-cased (the unique index is on `lower(email)` too),
 * so lookups never depend on how a user typed their address.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, Role, User } from '../schema.ts';
import { isUniqueViolation } from '../sql/pg-errors.ts';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: 'email_taken' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

export interface UserView {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
  lastLoginAt: Date | null;
  disabledAt: Date | null;
}

/** A user with the password hash: for credential checks only, never returned to a client. */
export interface UserCredentials extends UserView {
  passwordHash: string;
}

const VIEW_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'created_at',
  'last_login_at',
  'disabled_at',
] as const;

type UserRow = Pick<User, (typeof VIEW_COLUMNS)[number]>;

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: new Date(row.created_at),
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at) : null,
    disabledAt: row.disabled_at ? new Date(row.disabled_at) : null,
  };
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Inserts a user; throws `UserError('email_taken')` when the email is already registered. */
export async function createUser(
  db: Kysely<DB>,
  params: { email: string; passwordHash: string; name?: string | null; role?: Role },
): Promise<UserView> {
  try {
    const row = await db
      .insertInto('users')
      .values({
        email: normalizeEmail(params.email),
        password_hash: params.passwordHash,
        name: params.name ?? null,
        role: params.role ?? 'user',
      })
      .returning(VIEW_COLUMNS)
      .executeTakeFirstOrThrow();
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UserError('email_taken', 'an account with this email already exists');
    }
    throw error;
  }
}

export async function findUserById(db: Kysely<DB>, id: number): Promise<UserView | null> {
  const row = await db
    .selectFrom('users')
    .select(VIEW_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

/** The user and password hash for a login attempt, or null for an unknown email. */
export async function findCredentialsByEmail(
  db: Kysely<DB>,
  email: string,
): Promise<UserCredentials | null> {
  const row = await db
    .selectFrom('users')
    .select([...VIEW_COLUMNS, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? { ...toView(row), passwordHash: row.password_hash } : null;
}

/** Stamps a successful login; `passwordHash` replaces the stored hash (re-hash at a higher cost). */
export async function recordLogin(
  db: Kysely<DB>,
  params: { userId: number; passwordHash?: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      last_login_at: sql<Date>`now()`,
      ...(params.passwordHash
        ? { password_hash: params.passwordHash, updated_at: sql<Date>`now()` }
        : {}),
    })
    .where('id', '=', params.userId)
    .execute();
}

/** Lists users, newest first (admin views). */
export async function listUsers(
  db: Kysely<DB>,
  params: { limit: number; cursor?: number | null },
): Promise<UserView[]> {
  let query = db.selectFrom('users').select(VIEW_COLUMNS).orderBy('id', 'desc').limit(params.limit);
  if (params.cursor != null) query = query.where('id', '<', params.cursor);
  return (await query.execute()).map(toView);
}

/** Changes a user's role and/or disables (or re-enables) the account. */
export async function updateUser(
  db: Kysely<DB>,
  params: { id: number; role?: Role; disabled?: boolean },
): Promise<UserView> {
  const row = await db
    .updateTable('users')
    .set({
      updated_at: sql<Date>`now()`,
      ...(params.role ? { role: params.role } : {}),
      ...(params.disabled === undefined
        ? {}
        : { disabled_at: params.disabled ? sql<Date>`coalesce(disabled_at, now())` : null }),
    })
    .where('id', '=', params.id)
    .returning(VIEW_COLUMNS)
    .executeTakeFirst();
  if (!row) throw new UserError('not_found', `no user with id ${params.id}`);
  return toView(row);
}
