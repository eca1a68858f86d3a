/**
 * `bun run admin <command>`: bootstrap accounts and API keys without a database console. Opens the
 * configured database (applying pending migrations, as `bun run start` does), runs one command from
 * `admin-commands.ts`, and exits 0, or 1 with a one-line reason.
 */
import { ConfigError, getConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { connect } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { runAdminCommand, UsageError } from './admin-commands.ts';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      'set F1_ADMIN_PASSWORD or pipe the password on stdin (it is not prompted for)',
    );
  }
  const text = await new Response(Bun.stdin.stream()).text();
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) throw new UsageError('no password on stdin');
  return password;
}

async function main(): Promise<number> {
  const config = getConfig();
  const database = await connect(config.database);
  try {
    await migrateToLatest(database.db);
    await runAdminCommand(
      { db: database.db, config, readPassword, print: (line) => console.log(line) },
      process.argv.slice(2),
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError)
      console.error(printableError(error));
    else console.error(`admin: ${printableError(error)}`);
    process.exit(1);
  },
);
