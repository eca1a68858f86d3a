/**
 * `bun run db <command>`: the migration CLI, mirroring the brief's alembic commands.
 *
 *   migrate        apply every pending migration          (alembic upgrade head)
 *   down           revert the most recent migration       (alembic downgrade -1)
 *   status         current migration and pending ones     (alembic current)
 *   history        every migration, applied or not        (alembic history)
 *   new <name>     create a timestamp-named migration file (alembic revision -m)
 *
 * `--help`/`-h` prints the usage; a wrong command line exits 2 with the reason, before connecting.
 */
import { expectPositionals, parseCommandLine, UsageError } from '@f1/core/cli/arguments';
import {
  type CliUsage,
  helpText,
  isOperatorError,
  reportOperatorError,
  unknownVerb,
} from '@f1/core/cli/usage';
import { loadConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { connect } from './connection/connect.ts';
import { createMigrationFile } from './migration-file.ts';
import { migrateDown, migrateToLatest, migrationStatus } from './migrator.ts';

const DATABASE = 'the configured database (F1_DATABASE_URL, else the embedded one in F1_DATA_DIR)';

const USAGE: CliUsage = {
  program: 'bun run db',
  summary: `Migrations of ${DATABASE}.`,
  verbs: [
    {
      name: 'migrate',
      synopsis: '',
      summary: 'apply every pending migration (alembic upgrade head)',
    },
    {
      name: 'down',
      synopsis: '',
      summary: 'revert the most recent migration (alembic downgrade -1)',
    },
    { name: 'status', synopsis: '', summary: 'the current migration and the pending ones' },
    { name: 'history', synopsis: '', summary: 'every migration, applied or not' },
    {
      name: 'new',
      synopsis: '<name>',
      summary: 'create a timestamp-named migration file (alembic revision -m)',
      details: '<name>  snake_case: lowercase letters, digits and underscores',
    },
  ],
};

/** The verb and its argument, checked before anything connects. */
function commandLine(argv: string[]): { command: string; name: string | undefined } {
  const { positionals } = parseCommandLine(argv, {});
  const [command, ...rest] = positionals;
  if (command === 'new') {
    expectPositionals('new', rest, ['<name>']);
    const [name = ''] = rest;
    if (!/^[a-z0-9_]+$/.test(name)) {
      throw new UsageError(
        `new <name> must be snake_case (lowercase letters, digits, underscores), got "${name}"`,
      );
    }
    return { command, name };
  }
  if (!command || !USAGE.verbs?.some((v) => v.name === command)) throw unknownVerb(USAGE, command);
  expectPositionals(command, rest, []);
  return { command, name: undefined };
}

async function run(argv: string[]): Promise<void> {
  const { command, name } = commandLine(argv);
  if (command === 'new') {
    console.log(`created ${createMigrationFile(name)}`);
    return;
  }
  const config = loadConfig();
  const database = await connect(config.database);
  try {
    if (command === 'migrate') {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? applied.map((m) => `applied ${m}`).join('\n') : 'up to date');
    } else if (command === 'down') {
      const reverted = await migrateDown(database.db);
      console.log(reverted.length ? `reverted ${reverted.join(', ')}` : 'nothing to revert');
    } else {
      const all = await migrationStatus(database.db);
      const applied = all.filter((m) => m.executedAt);
      const pending = all.filter((m) => !m.executedAt);
      if (command === 'status') {
        console.log(`database: ${database.kind}`);
        console.log(`current:  ${applied.at(-1)?.name ?? '(none)'}`);
        console.log(
          `pending:  ${pending.length ? pending.map((m) => m.name).join(', ') : '(none)'}`,
        );
      } else {
        for (const m of all) {
          console.log(
            `${m.executedAt ? m.executedAt.toISOString() : 'pending                 '}  ${m.name}`,
          );
        }
      }
    }
  } finally {
    await database.close();
  }
}

const argv = process.argv.slice(2);
const help = helpText(USAGE, argv);
if (help !== null) process.stdout.write(help);
else {
  run(argv).catch((error: unknown) => {
    if (isOperatorError(error)) {
      const verb = argv.find((a) => !a.startsWith('-'));
      process.exit(reportOperatorError(error, process.stderr, { cli: USAGE, verb }));
    }
    console.error(printableError(error));
    process.exit(1);
  });
}
