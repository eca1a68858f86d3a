/**
 * `bun run lint` step: checks every import in the workspace against the architecture's layer rules
 * (scripts/layers/rules.ts, ARCHITECTURE.md) and every package's explicit `exports` map against the
 * imports that use it. Prints one line per problem (`file:line → target: rule`) and exits 1 if any.
 *
 * Usage: bun scripts/check-layers.ts [--write-exports] [--root <dir>]
 *   --write-exports  rewrite each layered package's `exports` to name exactly the modules other packages
 *                    import (run it after moving, adding or removing a cross-package import), then check
 *   --root <dir>     the workspace to check (default: the repository this script is in)
 */
import path from 'node:path';
import { checkWorkspace, formatProblem } from './layers/check.ts';
import { explicitExports, writeExports } from './layers/exports.ts';
import { loadWorkspace } from './layers/workspace.ts';

export interface RunOptions {
  readonly root: string;
  readonly writeExports: boolean;
}

export interface RunOutcome {
  readonly lines: string[];
  readonly exitCode: number;
}

export function parseArgs(argv: readonly string[]): RunOptions {
  const rootAt = argv.indexOf('--root');
  const root =
    rootAt === -1 ? path.resolve(import.meta.dir, '..') : path.resolve(argv[rootAt + 1] ?? '.');
  return { root, writeExports: argv.includes('--write-exports') };
}

/** One run: optionally regenerates the exports maps, then checks; returns what to print. */
export function run(options: RunOptions): RunOutcome {
  const lines: string[] = [];
  let ws = loadWorkspace(options.root);
  if (options.writeExports) {
    const { wanted } = checkWorkspace(ws);
    for (const [pkg, keys] of wanted) {
      if (writeExports(pkg, explicitExports(ws.root, pkg, keys))) {
        lines.push(`wrote ${pkg.dir}/package.json exports (${keys.size} modules)`);
      }
    }
    ws = loadWorkspace(options.root);
  }
  const { problems } = checkWorkspace(ws);
  for (const problem of problems) lines.push(formatProblem(problem));
  if (problems.length > 0) {
    lines.push(
      `${problems.length} import rule problem(s); rules: scripts/layers/rules.ts and ARCHITECTURE.md` +
        (options.writeExports
          ? ''
          : '; after moving modules: bun scripts/check-layers.ts --write-exports'),
    );
  }
  return { lines, exitCode: problems.length > 0 ? 1 : 0 };
}

if (import.meta.main) {
  const outcome = run(parseArgs(process.argv.slice(2)));
  for (const line of outcome.lines) (outcome.exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = outcome.exitCode;
}
