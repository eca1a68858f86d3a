/** `import-csv <dir> [<dir>…] [--seasons a,b]`: bulk-load Ergast CSV export folders. */
import { failureOf, ingestionChanges } from '@f1/core/changes/data-changes';
import { importCsv } from '../sources/csv-export/import.ts';
import { isErgastExport } from '../sources/csv-export/read-export.ts';
import { type Command, type Invocation, UsageError, type Verb } from './invocation.ts';

function checkImportCsv(invocation: Invocation): void {
  if (invocation.positionals.length === 0) {
    throw new UsageError(
      'import-csv needs at least one export folder, e.g. ../shared/data/ergast-csv',
    );
  }
  // Before anything connects: a folder that is no export is a wrong argument, not a failed import.
  for (const dir of invocation.positionals) {
    if (!isErgastExport(dir))
      throw new UsageError(
        `import-csv: <dir> "${dir}" is not an Ergast CSV export folder (it has no races.csv)`,
      );
  }
}

export const importCsvCommand: Command = async (context, invocation, progress) => {
  checkImportCsv(invocation);
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

export const importCsvVerb: Verb = {
  name: 'import-csv',
  synopsis: '<dir> [<dir>…] [--seasons <a,b>]',
  summary: 'load Ergast CSV export folders (later folders override earlier ones)',
  details:
    '<dir>            an Ergast CSV export folder (races.csv, results.csv, …)\n' +
    '--seasons <a,b>  only these seasons, e.g. --seasons 2021,2022',
  options: ['seasons'],
  check: checkImportCsv,
  run: importCsvCommand,
};
