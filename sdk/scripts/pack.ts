/**
 * `bun run sdk:pack`: builds the SDK (JS + one bundled .d.ts), checks the declaration file is
 * self-contained, packs it with `bun pm pack` (which rewrites `workspace:*` ranges; `npm pack` would
 * not) and prints the tarball's absolute path on the last line, for scripts: `$(bun run sdk:pack | tail -1)`.
 *
 * Usage: bun sdk/scripts/pack.ts [--destination <dir>]   (default: the sdk folder; --help: the usage)
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const SDK_DIR = path.resolve(import.meta.dir, '..');
const DTS = path.join(SDK_DIR, 'dist/index.d.ts');
const JS = path.join(SDK_DIR, 'dist/index.js');

/** The only packages the published declarations may import: the SDK's own dependencies. */
/**
 * The peer dependencies. `@trpc/server/unstable-core-do-not-import` is a published subpath of
 * `@trpc/server` that `@trpc/client`'s own declarations import; ours need it for `TrackedData` (the
 * `{ id, data }` events of `predictions.onUpdate`), which tRPC does not re-export from its root.
 */
const ALLOWED_IMPORTS = new Set([
  '@trpc/client',
  '@trpc/server',
  '@trpc/server/unstable-core-do-not-import',
  'superjson',
]);

/** Problems that would break a consumer: imports of packages it will not have. */
export function declarationProblems(dts: string): string[] {
  const problems: string[] = [];
  for (const match of dts.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[1] ?? '';
    if (!ALLOWED_IMPORTS.has(specifier)) problems.push(`imports '${specifier}'`);
  }
  if (dts.includes('@f1/')) problems.push("mentions the private '@f1/' workspace packages");
  return problems;
}

async function run(cmd: string[]): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd: SDK_DIR, stdout: 'pipe', stderr: 'pipe' });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  if (code !== 0) throw new Error(`${cmd.join(' ')} failed (${code}):\n${stderr || stdout}`);
  return stdout;
}

export interface PackResult {
  tarball: string;
  dtsBytes: number;
  dtsLines: number;
  jsBytes: number;
}

/** Builds, checks and packs the SDK into `destination`; returns the tarball path and sizes. */
export async function packSdk(destination: string = SDK_DIR): Promise<PackResult> {
  await run(['bun', 'run', 'build']);
  const dts = readFileSync(DTS, 'utf8');
  const problems = declarationProblems(dts);
  if (problems.length)
    throw new Error(`dist/index.d.ts is not self-contained: ${problems.join('; ')}`);
  const out = await run(['bun', 'pm', 'pack', '--quiet', '--destination', destination]);
  const name = out.trim().split('\n').pop() ?? '';
  return {
    tarball: path.resolve(destination, path.basename(name)),
    dtsBytes: Buffer.byteLength(dts),
    dtsLines: dts.split('\n').length,
    jsBytes: statSync(JS).size,
  };
}

export const PACK_USAGE = `usage: bun run sdk:pack [--destination <dir>]

  Build, check and pack the SDK; the tarball's absolute path is the last line.

  --destination <dir>  where to write the tarball (default: the sdk folder)
`;

/**
 * The command line: the destination, 'help', or a usage error. The SDK imports nothing of ours, so this
 * is node:util alone, with the same messages and exit codes as the other CLIs (core/src/cli/).
 */
export function packArguments(
  argv: string[],
): { destination: string } | 'help' | { error: string } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { destination: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) return 'help';
    if (positionals.length)
      return { error: `sdk:pack takes no arguments, got ${positionals.join(' ')}` };
    return { destination: values.destination ? path.resolve(values.destination) : SDK_DIR };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { error: text.split(/\.\s/)[0] ?? text };
  }
}

if (import.meta.main) {
  const parsed = packArguments(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(PACK_USAGE);
    process.exit(0);
  }
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n(bun run sdk:pack --help shows the usage)\n`);
    process.exit(2);
  }
  const result = await packSdk(parsed.destination);
  console.log(`dist/index.js    ${(result.jsBytes / 1024).toFixed(1)} KiB`);
  console.log(
    `dist/index.d.ts  ${(result.dtsBytes / 1024).toFixed(1)} KiB, ${result.dtsLines} lines`,
  );
  console.log(result.tarball);
}
