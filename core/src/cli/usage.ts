/**
 * Usage text and `--help` for every CLI: a CLI declares its verbs (name, synopsis, summary) once, and
 * the overview (`bun run ingest --help`), each verb's page (`bun run ingest season --help`) and the
 * hint after a usage error all come from that declaration. A new verb plugs in by declaring its usage.
 *
 * @example
 *   const INGEST: CliUsage = { program: 'bun run ingest', summary: '…', verbs: [{ name: 'season', … }] };
 *   const help = helpText(INGEST, argv);            // null unless --help/-h is on the line
 *   if (help !== null) { out.write(help); return 0; }
 */
import { ConfigError } from '../config.ts';
import { printableMessage } from '../printable-message.ts';
import { EXIT_USAGE, UsageError, wantsHelp } from './arguments.ts';

export interface VerbUsage {
  name: string;
  /** What follows the verb: `<year> [--laps]`. */
  synopsis: string;
  /** One line for the overview. */
  summary: string;
  /** More lines for the verb's own page (options, examples). */
  details?: string;
}

export interface CliUsage {
  /** How it is run: `bun run ingest`. */
  program: string;
  /** What follows the program when it has no verbs: `<from-season> <to-season> [--no-store]`. */
  synopsis?: string;
  summary: string;
  verbs?: readonly VerbUsage[];
  /** More lines for the overview (options, environment). */
  details?: string;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

/** The overview: synopsis, summary, one line per verb. */
export function formatUsage(cli: CliUsage): string {
  const verbs = cli.verbs ?? [];
  const synopsis = cli.synopsis ?? (verbs.length ? '<command> [--help]' : '');
  const lines = [`usage: ${cli.program}${synopsis ? ` ${synopsis}` : ''}`, '', indent(cli.summary)];
  if (verbs.length) {
    lines.push('', 'commands:');
    const width = Math.min(
      36,
      Math.max(...verbs.map((v) => v.name.length + v.synopsis.length + 1)),
    );
    for (const verb of verbs) {
      const head = `${verb.name} ${verb.synopsis}`.trimEnd();
      lines.push(
        head.length > width
          ? `  ${head}\n  ${' '.repeat(width)}  ${verb.summary}`
          : `  ${head.padEnd(width)}  ${verb.summary}`,
      );
    }
    lines.push('', `${cli.program} <command> --help shows a command's options.`);
  }
  if (cli.details) lines.push('', indent(cli.details));
  return `${lines.join('\n')}\n`;
}

/** One verb's page. */
export function formatVerbUsage(cli: CliUsage, verb: VerbUsage): string {
  const lines = [
    `usage: ${cli.program} ${verb.name} ${verb.synopsis}`.trimEnd(),
    '',
    indent(verb.summary),
  ];
  if (verb.details) lines.push('', indent(verb.details));
  return `${lines.join('\n')}\n`;
}

export function findVerb(cli: CliUsage, name: string | undefined): VerbUsage | undefined {
  return cli.verbs?.find((v) => v.name === name);
}

/**
 * The help to print when the command line asks for it (`--help`/`-h`): the page of the verb named
 * first, else the overview; `null` when it does not ask.
 */
export function helpText(cli: CliUsage, argv: readonly string[]): string | null {
  if (!wantsHelp(argv)) return null;
  const first = argv.find((a) => !a.startsWith('-'));
  const verb = findVerb(cli, first);
  return verb ? formatVerbUsage(cli, verb) : formatUsage(cli);
}

/** `unknown command "fly"` with the list of the ones there are. */
export function unknownVerb(cli: CliUsage, name: string | undefined): UsageError {
  const names = (cli.verbs ?? []).map((v) => v.name).join(', ');
  return new UsageError(
    name === undefined
      ? `a command is missing: expected one of ${names}`
      : `unknown command "${name}": expected one of ${names}`,
  );
}

/** True for the errors that are the operator's to fix: a wrong command line or configuration. */
export function isOperatorError(error: unknown): error is UsageError | ConfigError {
  return error instanceof UsageError || error instanceof ConfigError;
}

/**
 * Writes an operator error to stderr — its one line, and for a usage error where to read the usage —
 * and returns the exit code (2).
 */
export function reportOperatorError(
  error: UsageError | ConfigError,
  stderr: { write(text: string): unknown },
  where: { cli: CliUsage; verb?: string },
): number {
  // The message may quote an argument: a control character in it must not reach the terminal.
  stderr.write(`${printableMessage(error.message)}\n`);
  if (error instanceof UsageError) {
    const verb = findVerb(where.cli, where.verb);
    stderr.write(`(${where.cli.program}${verb ? ` ${verb.name}` : ''} --help shows the usage)\n`);
  }
  return EXIT_USAGE;
}
