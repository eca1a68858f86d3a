/**
 * `bun run ingest <verb> …` — the ingestion CLI (the brief's verbs):
 *
 *   season <year>                   schedule, circuits, drivers, teams, results, sprint, qualifying
 *   race <year> --round <n>         one round's race (and sprint) results
 *   qualifying <year> --round <n>   one round's qualifying
 *   validate <year> [--csv <dir>]   our standings vs the official ones (the source's endpoint, or a CSV export)
 *   weather <year> [--round <n>]    race-day weather from the configured provider
 *   import-csv <dir> [<dir>…]       bulk-load Ergast CSV export folders (later folders override earlier ones)
 *   bootstrap [--from Y] [--to Y]   the whole history from the API, resumable, within the hourly budget
 *
 * `--help`/`-h` prints the usage (`ingest <verb> --help`: the verb's page) from the verbs' declarations
 * (`Verb` in ./invocation.ts), exit 0. A wrong argument is refused — exit 2, the reason on stderr —
 * before the configuration is read or anything connects.
 *
 * Flow of every verb: open the job context (database migrated, Redis if configured), record the run in
 * `ingestion_runs`, do the work with progress on stderr, report what changed to the job context's
 * data-change pipeline (standings, ratings, accuracy, caches — see @f1/domain/changes/data-changes),
 * print the summary, exit 0 — or 1 on any failure.
 */
import {
  type CliUsage,
  helpText,
  isOperatorError,
  reportOperatorError,
  unknownVerb,
} from '@f1/core/cli/usage';
import { type Config, loadConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { finishIngestionRun, startIngestionRun } from '@f1/db/ingestion/runs';
import { type JobContext, openJobContext } from '../context.ts';
import { bootstrapVerb } from './bootstrap-command.ts';
import { importCsvVerb } from './import-csv-command.ts';
import {
  type CliIo,
  type CommandResult,
  checkInvocation,
  parseInvocation,
  type Verb,
} from './invocation.ts';
import { createProgress } from './progress.ts';
import { qualifyingVerb, raceVerb, seasonVerb } from './source-commands.ts';
import { formatSummary } from './summary.ts';
import { validateVerb } from './validate-command.ts';
import { weatherVerb } from './weather-command.ts';

/** Every verb, in the order `--help` lists them. A new verb declares a `Verb` and joins this list. */
export const VERBS: readonly Verb[] = [
  seasonVerb,
  raceVerb,
  qualifyingVerb,
  validateVerb,
  weatherVerb,
  importCsvVerb,
  bootstrapVerb,
];

export const INGEST_USAGE: CliUsage = {
  program: 'bun run ingest',
  summary: 'Ingest F1 data into the configured database (F1_DATABASE_URL, else the embedded one).',
  verbs: VERBS,
  details: 'exit codes: 0 done, 1 failed (rounds, differences), 2 wrong arguments or configuration',
};

/** Runs one CLI invocation; returns the process exit code. */
export async function runCli(
  argv: string[],
  io: CliIo,
  options: { config?: Config; env?: Record<string, string | undefined>; signal?: AbortSignal } = {},
): Promise<number> {
  const help = helpText(INGEST_USAGE, argv);
  if (help !== null) {
    io.stdout.write(help);
    return 0;
  }
  let context: JobContext | undefined;
  // For the hint after an error: the verb, when the first word names one.
  const verbName = argv.find((a) => !a.startsWith('-'));
  try {
    // Every argument is checked before the configuration is read or anything connects.
    const invocation = parseInvocation(argv);
    const verb = VERBS.find((v) => v.name === invocation.command);
    if (!verb) throw unknownVerb(INGEST_USAGE, invocation.command || undefined);
    checkInvocation(verb, invocation);
    const config = options.config ?? loadConfig(options.env ?? process.env);
    context = await openJobContext(config);
    const progress = createProgress(io.stderr);
    const started = performance.now();
    const result = await verb.run(context, invocation, progress, options.signal);
    progress.done();
    io.stdout.write(formatSummary(result.summary));
    await recordRun(context, result, performance.now() - started);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (isOperatorError(error)) {
      return reportOperatorError(error, io.stderr, { cli: INGEST_USAGE, verb: verbName });
    }
    io.stderr.write(`ingest failed: ${printableError(error)}\n`);
    return 1;
  } finally {
    await context?.close();
  }
}

async function recordRun(context: JobContext, result: CommandResult, elapsedMs: number) {
  const run = await startIngestionRun(context.db, { ...result.target, requestedBy: 'cli' });
  const { tables: _tables, failures, ...stats } = result.summary;
  await finishIngestionRun(context.db, {
    id: run.id,
    status: result.ok ? 'succeeded' : 'failed',
    stats: { ...stats, elapsedMs: Math.round(elapsedMs) },
    error: failures?.length ? failures.join('\n') : null,
  });
}
