/**
 * `bun run bench <name> [args…]`: runs tests/bench/<name>.ts (a benchmark script that prints a table and
 * writes JSON to tests/bench/results/). Benchmarks are not tests: they never assert a time.
 * `bun run bench --help` lists them; `bun run bench <name> --help` prints that script's header comment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CliUsage,
  helpText,
  reportOperatorError,
  unknownVerb,
  type VerbUsage,
} from '@f1/core/cli/usage';

/** A script's header comment, without its comment marks: its first line is the summary. */
function header(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const block = /\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .filter((line, i, all) => line || (i > 0 && i < all.length - 1));
}

function benchVerb(name: string): VerbUsage {
  const [first = '', ...rest] = header(path.join(import.meta.dir, `${name}.ts`));
  return {
    name,
    synopsis: '[args…]',
    summary: first.replace(/^`[^`]*`\s*[—:-]\s*/, ''),
    details: rest.join('\n').trim() || undefined,
  };
}

const names = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('-'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const USAGE: CliUsage = {
  program: 'bun run bench',
  synopsis: '<name> [args…]',
  summary: 'Run one benchmark script (ratios, a table, JSON in tests/bench/results/).',
  verbs: names.map(benchVerb),
};

const argv = process.argv.slice(2);
const [name, ...rest] = argv;
// Help for the runner itself; `bench <name> …` passes every other argument to the script.
const help =
  name && !name.startsWith('-') && !rest.some((a) => a === '--help' || a === '-h')
    ? null
    : helpText(USAGE, argv);
if (help !== null) {
  process.stdout.write(help);
  process.exit(0);
}
if (!name || !existsSync(path.join(import.meta.dir, `${name}.ts`))) {
  process.exit(reportOperatorError(unknownVerb(USAGE, name), process.stderr, { cli: USAGE }));
}
const child = Bun.spawn(['bun', path.join(import.meta.dir, `${name}.ts`), ...rest], {
  stdio: ['inherit', 'inherit', 'inherit'],
});
process.exit(await child.exited);
