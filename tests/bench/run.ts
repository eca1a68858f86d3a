/**
 * `bun run bench <name>`: runs tests/bench/<name>.ts (a benchmark script that prints a table and writes
 * JSON to tests/bench/results/). Benchmarks are not tests: they never assert a time.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const available = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.includes('-'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(path.join(import.meta.dir, `${name}.ts`))) {
  console.error(`usage: bun run bench <${available.join('|')}>`);
  process.exit(2);
}
const child = Bun.spawn(
  ['bun', path.join(import.meta.dir, `${name}.ts`), ...process.argv.slice(3)],
  {
    stdio: ['inherit', 'inherit', 'inherit'],
  },
);
process.exit(await child.exited);
