#!/usr/bin/env bun
/**
 * `bun run jobs` — the ingestion scheduler (see ./scheduler.ts). `bun run jobs --once <job>` runs one job
 * now under the same lock and exits (0: ran and succeeded, 1: failed, 3: skipped, the lock was held).
 */
import { choiceArgument, expectPositionals, parseCommandLine } from '@f1/core/cli/arguments';
import { type CliUsage, helpText, isOperatorError, reportOperatorError } from '@f1/core/cli/usage';
import { type Config, loadConfig } from '@f1/core/config';
import { openJobContext } from '../context.ts';
import { JOB_NAMES, type JobName } from './jobs.ts';
import { Scheduler } from './scheduler.ts';

const USAGE: CliUsage = {
  program: 'bun run jobs',
  synopsis: `[--once <${JOB_NAMES.join('|')}>]`,
  summary: 'Run the ingestion scheduler (schedules: F1_JOBS_*_CRON), or one job now with --once.',
  details:
    '--once <job>  run one job under the scheduler lock and exit (0 ok, 1 failed, 3 lock held)',
};

/** The job of `--once`, or undefined; checked, with the configuration, before anything connects. */
function commandLine(argv: string[]): { once: JobName | undefined; config: Config } {
  const { values, positionals } = parseCommandLine(argv, { once: { type: 'string' } });
  expectPositionals('jobs', positionals, []);
  const once =
    values.once === undefined ? undefined : choiceArgument('--once', values.once, JOB_NAMES);
  return { once, config: loadConfig() };
}

const argv = process.argv.slice(2);
const help = helpText(USAGE, argv);
if (help !== null) {
  process.stdout.write(help);
  process.exit(0);
}
let parsed: ReturnType<typeof commandLine>;
try {
  parsed = commandLine(argv);
} catch (error) {
  if (!isOperatorError(error)) throw error;
  process.exit(reportOperatorError(error, process.stderr, { cli: USAGE }));
}
const { once } = parsed;
const context = await openJobContext(parsed.config);
const scheduler = new Scheduler({ context });

if (once) {
  const outcome = await scheduler.trigger(once);
  await context.close();
  process.exit(outcome === null ? 3 : outcome.ok ? 0 : 1);
}

scheduler.start();
context.logger.info('scheduler started', {
  pid: process.pid,
  jobs: scheduler.schedules().map(([name]) => name),
});
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await scheduler.stop(signal);
    await context.close();
    context.logger.info('scheduler stopped', { signal });
    process.exit(0);
  });
}
