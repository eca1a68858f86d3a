/**
 * The architecture's import rules, as data: which workspace package may import which (ARCHITECTURE.md
 * states the same arrows), and which files are test code. Change the arrows here and in the document
 * together.
 */

export interface LayerRule {
  /** Workspace packages this package's production code may import (types and values). */
  readonly imports: readonly string[];
  /** Workspace packages it may import with `import type` / `export type … from` only. */
  readonly typeImports: readonly string[];
  /** The rule in words, printed with every import that breaks it. */
  readonly why: string;
  /** Whether `--write-exports` owns the package's `exports` map (explicit, one entry per public module). */
  readonly explicitExports: boolean;
}

const BELOW_APPS = ['@f1/domain', '@f1/db', '@f1/core'];

/** Keyed by package name. A workspace package missing here is itself reported. */
export const LAYERS: Readonly<Record<string, LayerRule>> = {
  '@f1/core': {
    imports: [],
    typeImports: [],
    why: 'core imports no workspace package',
    explicitExports: true,
  },
  '@f1/db': {
    imports: ['@f1/core'],
    typeImports: [],
    why: 'db imports only core',
    explicitExports: true,
  },
  '@f1/domain': {
    imports: ['@f1/db', '@f1/core'],
    typeImports: [],
    why: 'domain imports only db and core',
    explicitExports: true,
  },
  '@f1/server': {
    imports: BELOW_APPS,
    typeImports: [],
    why: 'server imports only domain, db and core (server and jobs never import each other, not even types)',
    explicitExports: true,
  },
  '@f1/jobs': {
    imports: BELOW_APPS,
    typeImports: [],
    why: 'jobs imports only domain, db and core (server and jobs never import each other, not even types)',
    explicitExports: true,
  },
  '@f1-analytics/sdk': {
    imports: [],
    typeImports: ['@f1/server'],
    why: 'sdk imports only @f1/server types (import type), nothing at run time',
    explicitExports: false,
  },
};

/** Workspace folders whose every file is test code (a shared test kit): anyone's tests may use them. */
export const TEST_PACKAGE_DIRS: ReadonlySet<string> = new Set(['testkit']);

/** Module specifiers that are test code wherever they come from. */
export const TEST_MODULES: ReadonlySet<string> = new Set(['bun:test']);

/**
 * Test code: `*.test.ts`, `testing.ts`, `test-fixtures.ts`, anything under `tests/` or a test-kit package.
 * `rel` is a path relative to the workspace root, with `/` separators.
 */
export function isTestPath(rel: string): boolean {
  const [top] = rel.split('/', 1);
  if (top === 'tests' || (top !== undefined && TEST_PACKAGE_DIRS.has(top))) return true;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return /\.test\.[cm]?[jt]sx?$/.test(base) || /^(testing|test-fixtures)\.[cm]?[jt]sx?$/.test(base);
}
