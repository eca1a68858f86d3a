/**
 * Reads the workspace the layer check runs over: the packages named by the root package.json's
 * `workspaces` (name, folder, `exports` map) and every source file below the root, each tagged with the
 * package it belongs to.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ExportsMap = Record<string, unknown>;

export interface WorkspacePackage {
  readonly name: string;
  /** Folder relative to the root, e.g. `db`. */
  readonly dir: string;
  readonly manifestPath: string;
  /** The parsed package.json, kept whole so `--write-exports` can rewrite just its `exports`. */
  readonly manifest: Record<string, unknown>;
  readonly exports: ExportsMap;
}

export interface SourceFile {
  /** Path relative to the root with `/` separators. */
  readonly rel: string;
  readonly abs: string;
  /** The package whose folder holds the file, or `null` (tests/, scripts/, root files). */
  readonly pkg: WorkspacePackage | null;
}

export interface Workspace {
  readonly root: string;
  readonly packages: readonly WorkspacePackage[];
  readonly byName: ReadonlyMap<string, WorkspacePackage>;
  readonly files: readonly SourceFile[];
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function readPackage(root: string, dir: string): WorkspacePackage {
  const manifestPath = path.join(root, dir, 'package.json');
  const manifest = readJson(manifestPath);
  const exports = manifest.exports;
  return {
    name: String(manifest.name),
    dir,
    manifestPath,
    manifest,
    exports: typeof exports === 'object' && exports !== null ? (exports as ExportsMap) : {},
  };
}

/** Source files below `dir` (relative to `root`), skipping dependencies, build output and dot-folders. */
function listSources(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) listSources(root, rel, out);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
}

/** The package whose folder holds `rel` (a root-relative path), or `null`. */
export function ownerOf(
  packages: readonly WorkspacePackage[],
  rel: string,
): WorkspacePackage | null {
  return packages.find((p) => rel.startsWith(`${p.dir}/`)) ?? null;
}

export function loadWorkspace(root: string): Workspace {
  const rootManifest = readJson(path.join(root, 'package.json'));
  const dirs = Array.isArray(rootManifest.workspaces)
    ? rootManifest.workspaces.map((dir) => path.posix.normalize(String(dir)).replace(/\/$/, ''))
    : [];
  const packages = dirs
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => readPackage(root, dir));
  const rels: string[] = [];
  listSources(root, '', rels);
  rels.sort();
  const files = rels.map((rel) => ({
    rel,
    abs: path.join(root, rel),
    pkg: ownerOf(packages, rel),
  }));
  return { root, packages, byName: new Map(packages.map((p) => [p.name, p])), files };
}
