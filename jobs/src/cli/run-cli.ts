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
 * Flow of every verb: open the job context (database migrated, Redis if configured), record the run in
 * `ingestion_runs`, do the work with progress on stderr, report what changed to the job context's
 * data-change pipeline (standings, ratings, accuracy, caches — see @f1/domain/changes/data-changes),
 * print the summary, exit 0 — or 1 on any failure.
 */
import { type Config, ConfigError, loadConfig } from '@f1/core/config';
import { printableError } from '@f1/core/printable-message';
import { finishIngestionRun, startIngestionRun } from '@f1/db/ingestion/runs';
import { type JobContext, openJobContext } from '../context.ts';
import { bootstrapCommand } from './bootstrap-command.ts';
import { importCsvCommand } from './import-csv-command.ts';
import {
  type CliIo,
  type Command,
  type CommandResult,
  parseInvocation,
  USAGE,
  UsageError,
} from './invocation.ts';
import { createProgress } from './progress.ts';
import { qualifyingCommand, raceCommand, seasonCommand } from './source-commands.ts';
import { formatSummary } from './summary.ts';
import { validateCommand } from './validate-command.ts';
import { weatherCommand } from './weather-command.ts';

const COMMANDS: Record<string, Command> = {
  season: seasonCommand,
  race: raceCommand,
  qualifying: qualifyingCommand,
  validate: validateCommand,
  weather: weatherCommand,
  'import-csv': importCsvCommand,
  bootstrap: bootstrapCommand,
};

/** Runs one CLI invocation; returns the process exit code. */
export async function runCli(
  argv: string[],
  io: CliIo,
  options: { config?: Config; env?: Record<string, string | undefined>; signal?: AbortSignal } = {},
): Promise<number> {
  let context: JobContext | undefined;
  try {
    const invocation = parseInvocation(argv);
    const command = COMMANDS[invocation.command];
    if (!command) throw new UsageError(`unknown command "${invocation.command}"\n${USAGE}`);
    const config = options.config ?? loadConfig(options.env ?? process.env);
    context = await openJobContext(config);
    const progress = createProgress(io.stderr);
    const started = performance.now();
    const result = await command(context, invocation, progress, options.signal);
    progress.done();
    io.stdout.write(formatSummary(result.summary));
    await recordRun(context, result, performance.now() - started);
    return result.ok ? 0 : 1;
  } catch (error) {
    const message = printableError(error);
    const known = error instanceof UsageError || error instanceof ConfigError;
    io.stderr.write(`${known ? '' : 'ingest failed: '}${message}\n`);
    return known ? 2 : 1;
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
