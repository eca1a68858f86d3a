/**
 * The admin CLI's commands, separate from process concerns (argv, stdin, exit codes live in
 * `admin-cli.ts`), so tests run them in-process against a real database.
 *
 *   create-user <email> [--role user|ml_service|admin] [--name <name>]
 *       password from F1_ADMIN_PASSWORD, else the first line of stdin (never a TTY: it would echo)
 *   create-api-key <name> [--role user|ml_service|admin] [--expires-days <n>]
 *       prints the new key alone on the last line: KEY=$(bun run admin create-api-key … | tail -n1)
 *   list-api-keys
 *   revoke-api-key <id>
 */

import { parseArgs } from 'node:util';
import type { Config } from '@f1/core/config';
import { listApiKeys, revokeApiKey } from '@f1/db/auth/api-keys';
import { insertAuditEntry } from '@f1/db/auth/audit';
import type { DB, Role } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { createAccount } from './accounts.ts';
import { issueApiKey } from './api-keys.ts';
import { AuthError } from './errors.ts';

export const ADMIN_USAGE = `usage: bun run admin <command>
  create-user <email> [--role user|ml_service|admin] [--name <name>]   (password: F1_ADMIN_PASSWORD or stdin)
  create-api-key <name> [--role user|ml_service|admin] [--expires-days <n>]
  list-api-keys
  revoke-api-key <id>`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface AdminIo {
  db: Kysely<DB>;
  config: Pick<Config, 'bcryptCost' | 'adminPassword'>;
  /** Reads the password from stdin; rejects when stdin is a terminal. */
  readPassword: () => Promise<string>;
  print: (line: string) => void;
}

const ROLES: readonly Role[] = ['user', 'ml_service', 'admin'];

function role(value: string | undefined, fallback: Role): Role {
  if (value === undefined) return fallback;
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${value}"`);
  }
  return value as Role;
}

async function audit(
  io: AdminIo,
  action: string,
  userId: number | null,
  detail: Record<string, unknown>,
) {
  await insertAuditEntry(io.db, {
    userId,
    apiKeyId: null,
    action,
    outcome: 'success',
    ip: null,
    inputHash: null,
    detail: { ...detail, via: 'cli' },
  });
}

/** `parseArgs` with its errors (unknown option, missing value) turned into usage errors. */
function parse<const O extends Record<string, { type: 'string' }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    );
  }
}

async function createUserCommand(io: AdminIo, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    name: { type: 'string' },
  });
  const [email] = positionals;
  if (!email || positionals.length > 1) throw new UsageError('create-user takes one <email>');
  const password = io.config.adminPassword ?? (await io.readPassword());
  try {
    const user = await createAccount(io, {
      email,
      password,
      name: values.name ?? null,
      role: role(values.role, 'user'),
    });
    await audit(io, 'cli.create-user', user.id, { role: user.role });
    io.print(`created ${user.role} ${user.email} (id ${user.id})`);
  } catch (error) {
    if (error instanceof AuthError) throw new UsageError(error.message);
    throw error;
  }
}

async function createApiKeyCommand(io: AdminIo, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    'expires-days': { type: 'string' },
  });
  const name = positionals.join(' ').trim();
  if (!name || name.length > 100)
    throw new UsageError('create-api-key takes a <name> of 1–100 characters');
  const days = values['expires-days'];
  if (days !== undefined && !/^[1-9]\d{0,4}$/.test(days)) {
    throw new UsageError(`--expires-days must be a positive whole number, got "${days}"`);
  }
  const expiresAt = days ? new Date(Date.now() + Number(days) * 86_400_000) : null;
  const { key, apiKey } = await issueApiKey(io.db, {
    name,
    role: role(values.role, 'ml_service'),
    createdBy: null,
    expiresAt,
  });
  await audit(io, 'cli.create-api-key', null, { apiKeyId: apiKey.id, prefix: apiKey.prefix });
  io.print(
    `created API key ${apiKey.id} "${apiKey.name}" (${apiKey.role}), prefix ${apiKey.prefix}`,
  );
  io.print(expiresAt ? `expires ${expiresAt.toISOString()}` : 'never expires');
  io.print('store it now: it cannot be shown again');
  io.print(key);
}

async function listApiKeysCommand(io: AdminIo): Promise<void> {
  const keys = await listApiKeys(io.db);
  if (!keys.length) io.print('no API keys');
  for (const k of keys) {
    const state = k.revokedAt
      ? 'revoked'
      : k.expiresAt && k.expiresAt < new Date()
        ? 'expired'
        : 'active';
    io.print(
      `${String(k.id).padStart(5)}  ${k.prefix}  ${k.role.padEnd(10)}  ${state.padEnd(7)}  ${k.name}`,
    );
  }
}

async function revokeApiKeyCommand(io: AdminIo, args: string[]): Promise<void> {
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id < 1) throw new UsageError('revoke-api-key takes a numeric <id>');
  const revoked = await revokeApiKey(io.db, id);
  if (!revoked) throw new UsageError(`no API key with id ${id}`);
  await audit(io, 'cli.revoke-api-key', null, { apiKeyId: id, prefix: revoked.prefix });
  io.print(`revoked API key ${id} (${revoked.prefix})`);
}

/** Runs one command; throws `UsageError` for anything the operator should fix. */
export async function runAdminCommand(io: AdminIo, argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'create-user':
      return createUserCommand(io, args);
    case 'create-api-key':
      return createApiKeyCommand(io, args);
    case 'list-api-keys':
      return listApiKeysCommand(io);
    case 'revoke-api-key':
      return revokeApiKeyCommand(io, args);
    default:
      throw new UsageError(command ? `unknown command "${command}"\n${ADMIN_USAGE}` : ADMIN_USAGE);
  }
}
