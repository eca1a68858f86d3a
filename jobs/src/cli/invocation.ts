/** The CLI's argument parsing and the shape every verb implements. */
import { parseArgs } from 'node:util';
import type { IngestionRunKind } from '@f1/db/schema';
import type { JobContext } from '../context.ts';
import type { Output, Progress } from './progress.ts';
import type { RunSummary } from './summary.ts';

export const USAGE = `usage: bun run ingest <command>
  season <year> [--laps]          ingest a whole season (schedule, drivers, teams, results, sprint, qualifying;
                                  --laps: also every run round's lap timings and pit stops, ~13 requests a round)
  race <year> --round <n> [--laps]
                                  ingest one round's race and sprint results (--laps: and its laps and pit stops)
  qualifying <year> --round <n>   ingest one round's qualifying
  validate <year> | --all [--csv <dir>]
                                  compare our standings after every round with the official ones
  weather <year> [--round <n>]    race-day weather (F1_WEATHER_BASE_URL; skipped when unset)
  import-csv <dir> [<dir>…]       load Ergast CSV export folders (optionally --seasons 2021,2022)
  bootstrap [--from 1950] [--to <year>]
                                  the whole history from the API, resumable (a rerun continues), within
                                  the hourly budget (waits for it), with progress and an ETA`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
}

export interface Invocation {
  command: string;
  positionals: string[];
  round: number | undefined;
  csv: string | undefined;
  seasons: number[] | undefined;
  /** `--all`: every season (validate). */
  all: boolean;
  /** `--laps`: lap timings and pit stops too (season, race). */
  laps: boolean;
  /** `--from`/`--to` as given (bootstrap checks them). */
  from: string | undefined;
  to: string | undefined;
}

/** The verbs `--laps` applies to. */
const LAP_COMMANDS: ReadonlySet<string> = new Set(['season', 'race']);

function integer(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a number, got "${text}"`);
  return Number(text);
}

export function parseInvocation(argv: string[]): Invocation {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // node:util's own errors (an unknown option, a missing value) are usage errors too.
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError(USAGE);
  if (values.laps && !LAP_COMMANDS.has(command))
    throw new UsageError(`--laps applies to ${[...LAP_COMMANDS].join(' and ')}, not ${command}`);
  return {
    command,
    positionals: rest,
    round: values.round === undefined ? undefined : integer(values.round, '--round'),
    csv: values.csv,
    seasons: values.seasons?.split(',').map((s) => integer(s.trim(), '--seasons')),
    all: values.all === true,
    laps: values.laps === true,
    from: values.from,
    to: values.to,
  };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      round: { type: 'string', short: 'r' },
      csv: { type: 'string' },
      seasons: { type: 'string' },
      all: { type: 'boolean' },
      laps: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
}

export function seasonArgument(invocation: Invocation): number {
  const [season] = invocation.positionals;
  if (!season) throw new UsageError(`${invocation.command} needs a season, e.g. 2024`);
  return integer(season, 'season');
}

export interface CommandResult {
  summary: RunSummary;
  /** False when the command found a problem (failed rounds, standings differences). */
  ok: boolean;
  /** What to record in ingestion_runs. */
  target: { kind: IngestionRunKind; season?: number; round?: number };
}

export type Command = (
  context: JobContext,
  invocation: Invocation,
  progress: Progress,
  /** Aborted on SIGINT/SIGTERM: ingestion stops between rounds. */
  signal?: AbortSignal,
) => Promise<CommandResult>;
