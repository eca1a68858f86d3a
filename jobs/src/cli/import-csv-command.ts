/** `import-csv <dir> [<dir>…] [--seasons a,b]`: bulk-load Ergast CSV export folders. */
import { afterRun } from '@f1/domain/changes/after-run';
import { importCsv } from '../sources/ergast-csv/import.ts';
import { type Command, UsageError } from './invocation.ts';

export const importCsvCommand: Command = async (context, invocation, progress) => {
  if (invocation.positionals.length === 0) {
    throw new UsageError(
      'import-csv needs at least one export folder, e.g. ../shared/data/ergast-csv',
    );
  }
  const started = performance.now();
  progress.start('import-csv', 2);
  const result = await importCsv(context.db, {
    dirs: invocation.positionals,
    seasons: invocation.seasons,
  });
  progress.tick(`${result.rows} rows in ${result.changedSeasons.length} changed season(s)`);
  const after = await afterRun(context, result);
  progress.tick(after.refreshed ? 'standings refreshed' : 'nothing changed');
  return {
    ok: after.invalidationError === null,
    target: { kind: 'import-csv' },
    summary: {
      ...result.totals,
      tables: result.tables,
      requests: 0,
      throttled: 0,
      retries: 0,
      elapsedMs: performance.now() - started,
      failures: after.invalidationError ? [`cache invalidation: ${after.invalidationError}`] : [],
    },
  };
};
