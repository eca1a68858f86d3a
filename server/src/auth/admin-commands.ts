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

import {
  expectPositionals,
  integerArgument,
  parseCommandLine,
  UsageError,
} from '@f1/core/cli/arguments';
import { type CliUsage, unknownVerb } from '@f1/core/cli/usage';
import type { Config } from '@f1/core/config';
import { listApiKeys, revokeApiKey } from '@f1/db/auth/api-keys';
import { insertAuditEntry } from '@f1/db/auth/audit';
import type { DB, Role } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { Email } from '../routers/auth-schemas.ts';
import { isPrintableLabel } from '../schemas/text.ts';
import { createAccount } from './accounts.ts';
import { issueApiKey } from './api-keys.ts';
import { AuthError } from './errors.ts';

const ROLE_OPTION = '--role user|ml_service|admin';

export const ADMIN_USAGE: CliUsage = {
  program: 'bun run admin',
  summary: 'Accounts and API keys in the configured database (applies pending migrations first).',
  verbs: [
    {
      name: 'create-user',
      synopsis: `<email> [${ROLE_OPTION}] [--name <name>]`,
      summary: 'create an account (password: F1_ADMIN_PASSWORD, else the first line of stdin)',
      details: `--role   user (default), ml_service or admin\n--name   a display name`,
    },
    {
      name: 'create-api-key',
      synopsis: `<name> [${ROLE_OPTION}] [--expires-days <n>]`,
      summary: 'issue an API key; the key alone is the last line (… | tail -n1)',
      details: `--role            ml_service (default), user or admin\n--expires-days n  1 to 99999 days (default: never expires)`,
    },
    {
      name: 'list-api-keys',
      synopsis: '',
      summary: 'every API key: id, prefix, role, state, name',
    },
    { name: 'revoke-api-key', synopsis: '<id>', summary: 'revoke the API key with this id' },
  ],
};

export { UsageError };

/** A command whose arguments were checked: what is left needs the database. */
export type PlannedCommand = (io: AdminIo) => Promise<void>;

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

const parse = parseCommandLine;

function createUserCommand(args: string[]): PlannedCommand {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    name: { type: 'string' },
  });
  const [given] = positionals;
  if (!given || positionals.length > 1) throw new UsageError('create-user takes one <email>');
  // The same rule as auth.register, checked before connecting (else the database's check refuses it).
  const parsed = Email.safeParse(given);
  if (!parsed.success)
    throw new UsageError(`create-user <email> must be an email address, got "${given}"`);
  const email = parsed.data;
  const name = values.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 100))
    throw new UsageError(`--name must be 1–100 characters, got ${name.length}`);
  const chosen = role(values.role, 'user');
  return async (io) => {
    const password = io.config.adminPassword ?? (await io.readPassword());
    try {
      const user = await createAccount(io, {
        email,
        password,
        name: name ?? null,
        role: chosen,
      });
      await audit(io, 'cli.create-user', user.id, { role: user.role });
      io.print(`created ${user.role} ${user.email} (id ${user.id})`);
    } catch (error) {
      if (error instanceof AuthError) throw new UsageError(error.message);
      throw error;
    }
  };
}

function createApiKeyCommand(args: string[]): PlannedCommand {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    'expires-days': { type: 'string' },
  });
  const name = positionals.join(' ').trim();
  if (!name || name.length > 100)
    throw new UsageError('create-api-key takes a <name> of 1–100 characters');
  if (!isPrintableLabel(name))
    throw new UsageError('create-api-key: <name> must not contain control characters');
  const text = values['expires-days'];
  const days =
    text === undefined
      ? undefined
      : integerArgument('--expires-days', text, { min: 1, max: 99_999 });
  const chosen = role(values.role, 'ml_service');
  return async (io) => {
    const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : null;
    const { key, apiKey } = await issueApiKey(io.db, {
      name,
      role: chosen,
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
  };
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

function revokeApiKeyCommand(args: string[]): PlannedCommand {
  const { positionals } = parse(args, {});
  expectPositionals('revoke-api-key', positionals, ['<id>']);
  const id = /^\d{1,15}$/.test(positionals[0] ?? '') ? Number(positionals[0]) : 0;
  if (id < 1) {
    throw new UsageError(`revoke-api-key takes a numeric <id>, got "${positionals[0] ?? ''}"`);
  }
  return async (io) => {
    const revoked = await revokeApiKey(io.db, id);
    if (!revoked) throw new UsageError(`no API key with id ${id}`);
    await audit(io, 'cli.revoke-api-key', null, { apiKeyId: id, prefix: revoked.prefix });
    io.print(`revoked API key ${id} (${revoked.prefix})`);
  };
}

/**
 * Checks a command line without touching the database (the CLI runs this before it connects);
 * throws `UsageError` naming what is wrong, else returns the command to run.
 */
export function planAdminCommand(argv: string[]): PlannedCommand {
  const [command, ...args] = argv;
  switch (command) {
    case 'create-user':
      return createUserCommand(args);
    case 'create-api-key':
      return createApiKeyCommand(args);
    case 'list-api-keys':
      expectPositionals('list-api-keys', parse(args, {}).positionals, []);
      return listApiKeysCommand;
    case 'revoke-api-key':
      return revokeApiKeyCommand(args);
    default:
      throw unknownVerb(ADMIN_USAGE, command);
  }
}

/** Runs one command; throws `UsageError` for anything the operator should fix. */
export async function runAdminCommand(io: AdminIo, argv: string[]): Promise<void> {
  return planAdminCommand(argv)(io);
}
