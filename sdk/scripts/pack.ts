/**
 * `bun run sdk:pack`: builds the SDK (JS + one bundled .d.ts), checks the declaration file is
 * self-contained, packs it with `bun pm pack` (which rewrites `workspace:*` ranges; `npm pack` would
 * not) and prints the tarball's absolute path on the last line, for scripts: `$(bun run sdk:pack | tail -1)`.
 *
 * Usage: bun sdk/scripts/pack.ts [--destination <dir>]   (default: the sdk folder)
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

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

if (import.meta.main) {
  const at = process.argv.indexOf('--destination');
  const destination = at > 0 ? path.resolve(process.argv[at + 1] ?? '.') : SDK_DIR;
  const result = await packSdk(destination);
  console.log(`dist/index.js    ${(result.jsBytes / 1024).toFixed(1)} KiB`);
  console.log(
    `dist/index.d.ts  ${(result.dtsBytes / 1024).toFixed(1)} KiB, ${result.dtsLines} lines`,
  );
  console.log(result.tarball);
}
