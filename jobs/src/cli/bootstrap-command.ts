/**
 * `bootstrap [--from 1950] [--to <year>]`: the whole history from the configured source (the Jolpica
 * API), resumable and within its hourly budget, with progress and an ETA (see ../bootstrap/).
 * Exit 0 when the range is loaded; 1 when stopped (signal) or a season failed — a rerun continues.
 */
import { failureOf, ingestionChanges } from '@f1/core/changes/data-changes';
import { type BootstrapResult, bootstrapSeed, runBootstrap } from '../bootstrap/run-bootstrap.ts';
import { WaitingPacer } from '../bootstrap/waiting-pacer.ts';
import { createSourceClient } from '../sources/jolpica/create-client.ts';
import { type Command, type Invocation, UsageError, type Verb } from './invocation.ts';
import { sourceTraffic } from './summary.ts';

/** The first championship season (and the source's first). */
export const FIRST_SEASON = 1950;

function year(text: string | undefined, option: string, fallback: number, last: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{4}$/.test(text))
    throw new UsageError(`${option} must be a season (a year such as 1950), got "${text}"`);
  const value = Number(text);
  if (value < FIRST_SEASON || value > last) {
    throw new UsageError(
      `${option} ${value} is out of range: seasons run from ${FIRST_SEASON} (the first championship) to ${last} (this year)`,
    );
  }
  return value;
}

/** `--from`/`--to` checked: years from 1950 to this year, from ≤ to. */
export function bootstrapRange(
  invocation: Pick<Invocation, 'from' | 'to' | 'positionals'>,
  currentSeason = new Date().getUTCFullYear(),
) {
  if (invocation.positionals.length > 0) {
    throw new UsageError(
      `bootstrap takes no arguments (got "${invocation.positionals.join(' ')}"); use --from <year> and --to <year>`,
    );
  }
  const from = year(invocation.from, '--from', FIRST_SEASON, currentSeason);
  const to = year(invocation.to, '--to', currentSeason, currentSeason);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { from, to };
}

function failuresOf(result: BootstrapResult, range: { from: number; to: number }): string[] {
  const failures = [...result.failures];
  if (result.stopped || failures.length) {
    failures.push(
      `bootstrap ${range.from}–${range.to} stopped after ${result.loaded.length} season(s) this run; rerun \`bun run ingest bootstrap --from ${range.from} --to ${range.to}\` to continue`,
    );
  }
  return failures;
}

export const bootstrapCommand: Command = async (context, invocation, progress, signal) => {
  const range = bootstrapRange(invocation);
  const started = performance.now();
  const { requestsPerSecond: perSecond, hourlyBudget: perHour } = context.config.ergast;
  let pacer: WaitingPacer | undefined;
  const seed = await bootstrapSeed(context.db);
  const client = createSourceClient(context.config.ergast, context, (inner) => {
    pacer = new WaitingPacer(inner, {
      perHour,
      seed,
      signal,
      onWait: (ms) =>
        progress.log(
          `hourly budget of ${perHour} requests spent: waiting ${Math.ceil(ms / 60_000)} min (until ${new Date(Date.now() + ms).toISOString().slice(11, 16)} UTC); Ctrl-C stops, a rerun resumes`,
        ),
    });
    return pacer;
  });
  const result = await runBootstrap(
    {
      db: context.db,
      client,
      progress,
      signal,
      budget: { perSecond, perHour, usedThisHour: () => pacer?.usedThisHour ?? seed.length },
    },
    range,
  );
  // One follow-up for the whole run (standings of the changed seasons, one ratings replay): per
  // season it would replay the ratings 75 times. A run killed before this leaves the derived data
  // pending, and the next run or the server's sweep completes it.
  const after = await context.changes.changed(ingestionChanges(result.report));
  const invalidationError = failureOf(after, 'invalidate');
  const failures = failuresOf(result, range);
  if (invalidationError) failures.push(`cache invalidation: ${invalidationError}`);
  progress.log(
    `bootstrap: ${result.loaded.length} season(s) loaded this run, ${result.alreadyLoaded.length} by earlier runs`,
  );
  return {
    ok: failures.length === 0,
    target: { kind: 'bootstrap' },
    summary: {
      ...result.report.totals,
      tables: result.report.tables,
      ...sourceTraffic(client, started),
      failures,
    },
  };
};

export const bootstrapVerb: Verb = {
  name: 'bootstrap',
  synopsis: '[--from 1950] [--to <year>]',
  summary:
    'the whole history from the API, resumable (a rerun continues), within the hourly budget, with progress and an ETA',
  details:
    '--from <year>  first season (default 1950)\n--to <year>    last season (default this year)',
  options: ['from', 'to'],
  check: (invocation) => {
    bootstrapRange(invocation);
  },
  run: bootstrapCommand,
};
