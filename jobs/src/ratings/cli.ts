#!/usr/bin/env bun
/**
 * `bun run ratings [--runs N]` (`--help`: the usage; a wrong `--runs` exits 2) — recomputes every ELO rating from scratch over all results in the
 * configured database and prints how long it took (N runs to see the spread; the result is identical).
 * Each replay is reported to the data-change pipeline (rating caches, the next race's baseline).
 */
import { expectPositionals, integerArgument, parseCommandLine } from '@f1/core/cli/arguments';
import { type CliUsage, helpText, isOperatorError, reportOperatorError } from '@f1/core/cli/usage';
import { loadConfig } from '@f1/core/config';
import type { DomainContext } from '@f1/domain/context';
import { replayRatings } from '@f1/domain/ratings/replay';
import { openJobContext } from '../context.ts';

export const RATINGS_USAGE: CliUsage = {
  program: 'bun run ratings',
  synopsis: '[--runs <n>]',
  summary: 'Recompute every ELO rating from scratch over all results in the configured database.',
  details: '--runs <n>  replay n times (1 to 1000, default 1) to see the spread of the timing',
};

type Open = () => Promise<DomainContext & { close(): Promise<void> }>;
const openConfigured: Open = () => openJobContext(loadConfig(process.env));

function parse(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, {
    runs: { type: 'string', default: '1' },
  });
  expectPositionals('ratings', positionals, []);
  return integerArgument('--runs', values.runs, { min: 1, max: 1000 });
}

export async function runRatings(
  argv: string[],
  io: { out: (text: string) => void; err?: (text: string) => void } | ((text: string) => void),
  open: Open = openConfigured,
): Promise<number> {
  const { out, err = out } = typeof io === 'function' ? { out: io } : io;
  const help = helpText(RATINGS_USAGE, argv);
  if (help !== null) {
    out(help);
    return 0;
  }
  let runs: number;
  try {
    runs = parse(argv);
  } catch (error) {
    if (!isOperatorError(error)) throw error;
    return reportOperatorError(error, { write: err }, { cli: RATINGS_USAGE });
  }
  const context = await open();
  try {
    for (let i = 0; i < runs; i++) {
      const s = await replayRatings(context.db);
      await context.changes.changed([{ kind: 'ratings' }]);
      out(
        `recomputed ${s.races} races: ${s.driverRows} driver and ${s.teamRows} team rating rows in ${s.millis} ms\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}

if (import.meta.main) {
  process.exitCode = await runRatings(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
