/**
 * Command-line arguments for every CLI (`db`, `admin`, `ingest`, `backtest`, `ratings`, `jobs`, `bench`):
 * one parser and one set of value checks, so a wrong argument says the same thing everywhere — which
 * argument, what was expected, what was given — and no CLI clamps a bad value silently.
 *
 * @example
 *   const { values, positionals } = parseCommandLine(argv, { runs: { type: 'string' } });
 *   const runs = integerArgument('--runs', values.runs ?? '1', { min: 1, max: 1000 });
 *   const season = seasonArgument('<year>', positionals[0]);   // 1950 … next year
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** The exit code of a usage or configuration error (the operator's to fix), as `ingest` always had. */
export const EXIT_USAGE = 2;

/** A wrong command line: printed as one line (plus a `--help` hint), exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The first world-championship season; nothing before it exists in any source. */
export const FIRST_SEASON = 1950;

/** The last season a CLI accepts: next year's (its calendar is published in the autumn). */
export function lastSeason(now: Date = new Date()): number {
  return now.getUTCFullYear() + 1;
}

/** `--help` or `-h` anywhere before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * `node:util` `parseArgs`, strict, positionals allowed, `--help`/`-h` accepted (check `wantsHelp`
 * first); its errors become one-line usage errors ("unknown option --bogus").
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parserMessage(error));
  }
}

function parserMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const option = /'([^']+)'/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  // `--round -1`: the parser will not take a value that starts with '-' (a negative number).
  if (/argument is ambiguous/.test(text) && option)
    return `${option} is followed by a value that starts with "-" (no option here takes a negative number; write ${option}=<value> to pass it as it is)`;
  // The parser's advice on positionals that start with '-' is noise here: keep its first sentence.
  return text.split(/\.\s/)[0] ?? text;
}

/** A whole number within `min`…`max`; otherwise a usage error naming the argument. */
export function integerArgument(
  name: string,
  text: string | undefined,
  range: { min: number; max: number },
): number {
  const expected = `a whole number from ${range.min} to ${range.max}`;
  if (text === undefined) throw new UsageError(`${name} is missing: expected ${expected}`);
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new UsageError(`${name} must be ${expected}, got "${text}"`);
  }
  return value;
}

/** A championship season, 1950 … next year. */
export function seasonArgument(name: string, text: string | undefined, now?: Date): number {
  const last = lastSeason(now);
  const expected = `a season from ${FIRST_SEASON} to ${last}`;
  if (text === undefined)
    throw new UsageError(`${name} is missing: expected ${expected}, e.g. 2024`);
  const value = /^\d{4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= FIRST_SEASON && value <= last)) {
    throw new UsageError(`${name} must be ${expected}, got "${text}"`);
  }
  return value;
}

/** Two seasons, the first not after the second. */
export function seasonRangeArguments(
  names: [from: string, to: string],
  texts: [from: string | undefined, to: string | undefined],
  now?: Date,
): { from: number; to: number } {
  const from = seasonArgument(names[0], texts[0], now);
  const to = seasonArgument(names[1], texts[1], now);
  if (from > to) {
    throw new UsageError(`${names[0]} (${from}) must not be after ${names[1]} (${to})`);
  }
  return { from, to };
}

/** One of a fixed set of words. */
export function choiceArgument<const T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
): T {
  if (text !== undefined && (choices as readonly string[]).includes(text)) return text as T;
  const expected = `one of ${choices.join(', ')}`;
  throw new UsageError(
    text === undefined
      ? `${name} is missing: expected ${expected}`
      : `${name} must be ${expected}, got "${text}"`,
  );
}

/** Exactly the positionals a verb takes, named (`<from-season> <to-season>`). */
export function expectPositionals(
  what: string,
  positionals: readonly string[],
  names: readonly string[],
  optional = 0,
): void {
  const min = names.length - optional;
  if (positionals.length >= min && positionals.length <= names.length) return;
  const count =
    positionals.length === 0 ? 'none' : `${positionals.length} (${positionals.join(' ')})`;
  const takes = names.length === 0 ? 'no arguments' : names.join(' ');
  throw new UsageError(`${what} takes ${takes}, got ${count}`);
}
