/**
 * Package `exports` maps: resolving an import's subpath through a map (exact keys and `*` patterns,
 * condition objects), and building the explicit map a package should have — one entry per module that
 * another package imports — for `--write-exports` and for the check that a committed map is that one.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportsMap, WorkspacePackage } from './workspace.ts';

/** Conditions tried in order when an export's target is an object (`{ types, import, default }`). */
const CONDITIONS = ['bun', 'import', 'default', 'types'];

function targetOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return null;
  const conditions = value as Record<string, unknown>;
  for (const condition of CONDITIONS) {
    const target = targetOf(conditions[condition]);
    if (target !== null) return target;
  }
  return null;
}

/** `'.'` for `@f1/db`, `'./schema'` for `@f1/db/schema`. */
export const exportKey = (subpath: string): string => (subpath === '' ? '.' : `./${subpath}`);

/**
 * The file (relative to the package folder, e.g. `./src/schema.ts`) that `key` resolves to through
 * `exports`, or `null` when the map does not export it.
 */
export function resolveExport(exports: ExportsMap, key: string): string | null {
  if (Object.hasOwn(exports, key)) return targetOf(exports[key]);
  for (const [pattern, value] of Object.entries(exports)) {
    const star = pattern.indexOf('*');
    if (star === -1) continue;
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    if (key.length >= pattern.length - 1 && key.startsWith(head) && key.endsWith(tail)) {
      const match = key.slice(head.length, key.length - tail.length);
      return targetOf(value)?.replaceAll('*', match) ?? null;
    }
  }
  return null;
}

/** The module an explicit entry for `key` should point at: `src/<sub>.ts`, `.tsx` or `/index.ts`. */
export function moduleFor(root: string, pkg: WorkspacePackage, key: string): string {
  const base = key === '.' ? './src/index' : `./src/${key.slice(2)}`;
  const candidates = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`];
  const found = candidates.find((c) => existsSync(path.join(root, pkg.dir, c)));
  return found ?? (candidates[0] as string);
}

/** The explicit map for the given keys: `.` first, then the rest in order. */
export function explicitExports(
  root: string,
  pkg: WorkspacePackage,
  keys: Iterable<string>,
): ExportsMap {
  const sorted = [...new Set(keys)].sort((a, b) =>
    a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(sorted.map((key) => [key, moduleFor(root, pkg, key)]));
}

/** Rewrites the package's package.json with `exports` replaced (other fields and their order kept). */
export function writeExports(pkg: WorkspacePackage, exports: ExportsMap): boolean {
  const before = JSON.stringify(pkg.manifest.exports ?? null);
  if (before === JSON.stringify(exports)) return false;
  const manifest = { ...pkg.manifest, exports };
  writeFileSync(pkg.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return true;
}
