/** `import-csv <dir> [<dir>…] [--seasons a,b]`: bulk-load Ergast CSV export folders. */
import { failureOf, ingestionChanges } from '@f1/core/changes/data-changes';
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
  const after = await context.changes.changed(ingestionChanges(result));
  const invalidationError = failureOf(after, 'invalidate');
  const refreshed = after.steps.some((s) => s.step === 'standings' && s.ok);
  progress.tick(refreshed ? 'standings refreshed' : 'nothing changed');
  return {
    ok: invalidationError === null,
    target: { kind: 'import-csv' },
    summary: {
      ...result.totals,
      tables: result.tables,
      requests: 0,
      throttled: 0,
      retries: 0,
      elapsedMs: performance.now() - started,
      failures: invalidationError ? [`cache invalidation: ${invalidationError}`] : [],
    },
  };
};
