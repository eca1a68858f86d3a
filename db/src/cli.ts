/**
 * `bun run db <command>`: the migration CLI, mirroring the brief's alembic commands.
 *
 *   migrate        apply every pending migration          (alembic upgrade head)
 *   down           revert the most recent migration       (alembic downgrade -1)
 *   status         current migration and pending ones     (alembic current)
 *   history        every migration, applied or not        (alembic history)
 *   new <name>     create a timestamp-named migration file (alembic revision -m)
 */
import { getConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { connect } from './connection/connect.ts';
import { createMigrationFile } from './migration-file.ts';
import { migrateDown, migrateToLatest, migrationStatus } from './migrator.ts';

const USAGE = 'usage: bun run db <migrate|down|status|history|new <name>>';

async function run(command: string | undefined, arg: string | undefined): Promise<void> {
  if (command === 'new') {
    console.log(`created ${createMigrationFile(arg)}`);
    return;
  }
  if (!command || !['migrate', 'down', 'status', 'history'].includes(command)) {
    throw new Error(USAGE);
  }
  const config = getConfig();
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

run(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(printableError(error));
  process.exit(1);
});
