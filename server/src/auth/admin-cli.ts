/**
 * `bun run admin <command>`: bootstrap accounts and API keys without a database console. Opens the
 * configured database (applying pending migrations, as `bun run start` does), runs one command from
 * `admin-commands.ts`, and exits 0; 2 with the reason for a wrong command line or configuration
 * (checked before connecting; `--help`/`-h` prints the usage); 1 with a one-line reason otherwise.
 */
import { helpText, isOperatorError, reportOperatorError } from '@f1/core/cli/usage';
import { type Config, loadConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { connect } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import {
  ADMIN_USAGE,
  type PlannedCommand,
  planAdminCommand,
  UsageError,
} from './admin-commands.ts';

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

const argv = process.argv.slice(2);

/** The command line and the configuration, checked before anything connects (exit 2 when wrong). */
function prepare(): { command: PlannedCommand; config: Config } | number {
  try {
    return { command: planAdminCommand(argv), config: loadConfig() };
  } catch (error) {
    if (!isOperatorError(error)) throw error;
    const verb = argv.find((a) => !a.startsWith('-'));
    return reportOperatorError(error, process.stderr, { cli: ADMIN_USAGE, verb });
  }
}

async function main(): Promise<number> {
  const help = helpText(ADMIN_USAGE, argv);
  if (help !== null) {
    process.stdout.write(help);
    return 0;
  }
  const prepared = prepare();
  if (typeof prepared === 'number') return prepared;
  const { command, config } = prepared;
  const database = await connect(config.database);
  try {
    await migrateToLatest(database.db);
    await command({ db: database.db, config, readPassword, print: (line) => console.log(line) });
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A refusal once connected (an existing account, an unknown key id) is the operator's, exit 1.
    if (error instanceof UsageError) console.error(printableError(error));
    else console.error(`admin: ${printableError(error)}`);
    process.exit(1);
  },
);
