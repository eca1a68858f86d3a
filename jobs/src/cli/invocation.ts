/**
 * The ingest CLI's command line and the shape every verb implements. A verb declares its usage (name,
 * synopsis, summary), the shared options it takes and a `check` of its arguments; `runCli` prints the
 * help from those declarations and runs every check before it reads the configuration or connects.
 */
import { parseCommandLine, seasonArgument as season, UsageError } from '@f1/core/cli/arguments';
import type { VerbUsage } from '@f1/core/cli/usage';
import type { IngestionRunKind } from '@f1/db/schema';
import type { JobContext } from '../context.ts';
import type { Output, Progress } from './progress.ts';
import type { RunSummary } from './summary.ts';

export { UsageError };

export interface CliIo {
  stdout: Output;
  stderr: Output;
}

/** The options of every verb, one table (a verb lists the ones it takes in `Verb.options`). */
const OPTIONS = {
  round: { type: 'string', short: 'r' },
  csv: { type: 'string' },
  seasons: { type: 'string' },
  all: { type: 'boolean' },
  laps: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;

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
  /** The options on the command line, to refuse those the verb does not take. */
  given: readonly OptionName[];
  /** `--from`/`--to` as given (bootstrap checks them). */
  from: string | undefined;
  to: string | undefined;
}

/** Rounds of a season: 1 … 40 (the longest calendar so far has 24). */
const ROUND_RANGE = { min: 1, max: 40 };

function roundOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--round must be a number, got "${text}"`);
  const round = Number(text);
  if (round < ROUND_RANGE.min || round > ROUND_RANGE.max) {
    throw new UsageError(
      `--round must be a round from ${ROUND_RANGE.min} to ${ROUND_RANGE.max}, got "${text}"`,
    );
  }
  return round;
}

/** Parses the command line (options of any verb; `checkInvocation` then holds it to the verb's). */
export function parseInvocation(argv: string[]): Invocation {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  const [command = '', ...rest] = positionals;
  const given = (Object.keys(OPTIONS) as OptionName[]).filter((o) => values[o] !== undefined);
  return {
    command,
    positionals: rest,
    round: roundOption(values.round),
    csv: values.csv,
    seasons: values.seasons?.split(',').map((s) => season('--seasons', s.trim())),
    all: values.all === true,
    laps: values.laps === true,
    given,
    from: values.from,
    to: values.to,
  };
}

export function seasonArgument(invocation: Invocation): number {
  return season(`${invocation.command} <year>`, invocation.positionals[0]);
}

/** The `--round` a verb requires. */
export function roundArgument(invocation: Invocation): number {
  if (invocation.round === undefined) {
    throw new UsageError(
      `${invocation.command} needs --round <n> (a round from 1, e.g. --round 5)`,
    );
  }
  return invocation.round;
}

/** At most `max` positionals after the verb. */
export function atMostPositionals(invocation: Invocation, max: number, names: string): void {
  const extra = invocation.positionals.slice(max);
  if (extra.length) {
    throw new UsageError(
      `${invocation.command} takes ${names}, got extra argument(s): ${extra.join(' ')}`,
    );
  }
}

/** The checks of a verb taking `<year>` alone (season, weather). */
export function checkSeason(invocation: Invocation): void {
  seasonArgument(invocation);
  atMostPositionals(invocation, 1, 'one <year>');
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

/** A verb of `bun run ingest`: its usage (for --help), the options it takes, its checks, its run. */
export interface Verb extends VerbUsage {
  options: readonly OptionName[];
  /** Throws `UsageError` for a wrong argument; runs before the configuration is read or anything connects. */
  check(invocation: Invocation): void;
  run: Command;
}

/** Holds a parsed command line to its verb: options it does not take, then the verb's own checks. */
export function checkInvocation(verb: Verb, invocation: Invocation): void {
  const foreign = invocation.given.filter((o) => !verb.options.includes(o));
  if (foreign.length) {
    const takes = verb.options.length
      ? `it takes ${verb.options.map((o) => `--${o}`).join(', ')}`
      : 'it takes no options';
    throw new UsageError(
      `${verb.name} does not take ${foreign.map((o) => `--${o}`).join(', ')} (${takes})`,
    );
  }
  verb.check(invocation);
}
