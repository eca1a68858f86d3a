import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, run } from './check-layers.ts';
import { resolveExport } from './layers/exports.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

type Tree = Record<string, string>;

const manifest = (name: string, fields: Record<string, unknown>): string =>
  `${JSON.stringify({ name, type: 'module', ...fields }, null, 2)}\n`;

/**
 * A small workspace shaped like the real one: every package has a module the others import, each
 * exports map names exactly those modules, and every import follows the rules.
 */
function cleanTree(): Tree {
  return {
    'package.json': JSON.stringify({
      workspaces: ['core', 'db', 'domain', 'server', 'jobs', 'sdk'],
    }),
    'core/package.json': manifest('@f1/core', { exports: { './logger': './src/logger.ts' } }),
    'core/src/logger.ts': 'export const log = () => {};\n',
    'core/src/logger.test.ts': "import { freshDatabase } from '@f1/db/testing';\n",
    'db/package.json': manifest('@f1/db', {
      exports: { './schema': './src/schema.ts', './testing': './src/testing.ts' },
      dependencies: { '@f1/core': 'workspace:*' },
    }),
    'db/src/schema.ts': "import { log } from '@f1/core/logger';\nexport type DB = {};\n",
    'db/src/testing.ts': "import { test } from 'bun:test';\nexport const freshDatabase = 1;\n",
    'domain/package.json': manifest('@f1/domain', {
      exports: { './ratings/elo': './src/ratings/elo.ts' },
    }),
    'domain/src/ratings/elo.ts': [
      "import type { DB } from '@f1/db/schema';",
      "import { log } from '@f1/core/logger';",
      "import { helper } from './helper.ts';",
      '',
    ].join('\n'),
    'domain/src/ratings/helper.ts': 'export const helper = 1;\n',
    'server/package.json': manifest('@f1/server', {
      exports: { '.': './src/index.ts', './testing': './src/testing.ts' },
    }),
    'server/src/index.ts':
      "export { elo } from '@f1/domain/ratings/elo';\nexport type AppRouter = {};\n",
    'server/src/testing.ts': "import { records } from '@f1/jobs/records';\n",
    'server/src/app.test.ts': "mock.module('@f1/jobs/records', () => ({}));\n",
    'jobs/package.json': manifest('@f1/jobs', {
      exports: { './records': './src/records.ts' },
      devDependencies: { '@f1/server': 'workspace:*' },
    }),
    'jobs/src/records.ts': "const { elo } = await import('@f1/domain/ratings/elo');\n",
    'sdk/package.json': manifest('@f1-analytics/sdk', { exports: { '.': './dist/index.js' } }),
    'sdk/src/index.ts': "import type { AppRouter } from '@f1/server';\n",
    'sdk/scripts/pack.ts': 'export const pack = 1;\n',
    'tests/e2e.test.ts': [
      "import { testing } from '@f1/server/testing';",
      "import { pack } from '../sdk/scripts/pack.ts';",
      '',
    ].join('\n'),
    'node_modules/x/index.ts': "import '@f1/server/anything';\n",
  };
}

function writeTree(tree: Tree): string {
  const root = mkdtempSync(path.join(tmpdir(), 'check-layers-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const check = (tree: Tree) => run({ root: writeTree(tree), writeExports: false });

/** The problem lines of a tree that is clean but for `changes`. */
function problemsWith(changes: Tree): string[] {
  const outcome = check({ ...cleanTree(), ...changes });
  expect(outcome.exitCode).toBe(1);
  return outcome.lines.slice(0, -1);
}

test('a clean tree passes with nothing printed', () => {
  expect(check(cleanTree())).toEqual({ lines: [], exitCode: 0 });
});

describe('layer rules', () => {
  test('jobs importing server at run time names the file, line, target and rule', () => {
    expect(
      problemsWith({
        'server/package.json': manifest('@f1/server', {
          exports: {
            '.': './src/index.ts',
            './logger': './src/logger.ts',
            './testing': './src/testing.ts',
          },
        }),
        'server/src/logger.ts': 'export const log = 1;\n',
        'jobs/src/run.ts': "// jobs\n\nimport { log } from '@f1/server/logger';\n",
      }),
    ).toEqual([
      'jobs/src/run.ts:3 → @f1/server/logger: jobs imports only domain, db and core (server and jobs never import each other, not even types)',
    ]);
  });

  test('server and jobs may not import each other even for types, or by re-export', () => {
    const lines = problemsWith({
      'server/src/types.ts': "import type { R } from '@f1/jobs/records';\n",
      'jobs/src/again.ts': "export * from '@f1/server';\n",
    });
    expect(lines).toEqual([
      expect.stringMatching(/^jobs\/src\/again\.ts:1 → @f1\/server: jobs imports only/),
      expect.stringMatching(/^server\/src\/types\.ts:1 → @f1\/jobs\/records: server imports only/),
    ]);
  });

  test('lower layers may not import upward: core → db, db → domain (dynamic), domain → server (mock)', () => {
    expect(
      problemsWith({
        'core/src/config.ts': "import type { DB } from '@f1/db/schema';\n",
        'db/src/late.ts':
          "export async function f() {\n  await import('@f1/domain/ratings/elo');\n}\n",
        'domain/src/mocked.ts': "mock.module('@f1/server', () => ({}));\n",
      }),
    ).toEqual([
      'core/src/config.ts:1 → @f1/db/schema: core imports no workspace package',
      'db/src/late.ts:2 → @f1/domain/ratings/elo: db imports only core',
      'domain/src/mocked.ts:1 → @f1/server: domain imports only db and core',
    ]);
  });

  test('sdk imports server types only', () => {
    expect(
      problemsWith({ 'sdk/src/client.ts': "import { AppRouter } from '@f1/server';\n" }),
    ).toEqual([
      'sdk/src/client.ts:1 → @f1/server: sdk imports only @f1/server types (import type), nothing at run time',
    ]);
  });

  test('a run-time dependency on a forbidden package is flagged in package.json', () => {
    expect(
      problemsWith({
        'jobs/package.json': manifest('@f1/jobs', {
          exports: { './records': './src/records.ts' },
          dependencies: { '@f1/server': 'workspace:*', kysely: '1' },
        }),
      }),
    ).toEqual([
      'jobs/package.json → dependencies "@f1/server": jobs imports only domain, db and core (server and jobs never import each other, not even types); a test-only dependency goes in devDependencies',
    ]);
  });

  test('a workspace package without a layer rule is reported', () => {
    expect(
      problemsWith({
        'package.json': JSON.stringify({
          workspaces: ['core', 'db', 'domain', 'server', 'jobs', 'sdk', 'extra'],
        }),
        'extra/package.json': manifest('@f1/extra', {}),
        'extra/src/x.ts': "import { log } from '@f1/core/logger';\n",
      }),
    ).toEqual([
      'extra/src/x.ts:1 → @f1/core/logger: @f1/extra has no layer rule (add it to scripts/layers/rules.ts)',
    ]);
  });
});

describe('one way in: package names and exports maps', () => {
  test('a relative path into another package is refused, even from tests', () => {
    expect(
      problemsWith({
        'domain/src/ratings/deep.ts': "import type { DB } from '../../../db/src/schema.ts';\n",
        'tests/deep.test.ts': "import { log } from '../core/src/logger';\n",
      }),
    ).toEqual([
      "domain/src/ratings/deep.ts:1 → ../../../db/src/schema.ts: relative import into @f1/db's src/: import it by name, through its exports map",
      "tests/deep.test.ts:1 → ../core/src/logger: relative import into @f1/core's src/: import it by name, through its exports map",
    ]);
  });

  test('a relative path through a node_modules link, or to another file of a forbidden package', () => {
    const root = writeTree({
      ...cleanTree(),
      'server/src/linked.ts': "export * from '../../node_modules/@f1/jobs/src/records.ts';\n",
      'server/src/manifest.ts':
        "import jobs from '../../jobs/package.json' with { type: 'json' };\n",
      'domain/src/tooling.ts': "import { pack } from '../../sdk/scripts/pack.ts';\n",
    });
    mkdirSync(path.join(root, 'node_modules/@f1'), { recursive: true });
    symlinkSync(path.join(root, 'jobs'), path.join(root, 'node_modules/@f1/jobs'));
    const outcome = run({ root, writeExports: false });
    expect(outcome.lines.slice(0, -1)).toEqual([
      'domain/src/tooling.ts:1 → ../../sdk/scripts/pack.ts: domain imports only db and core',
      "server/src/linked.ts:1 → ../../node_modules/@f1/jobs/src/records.ts: relative import into @f1/jobs's src/: import it by name, through its exports map",
      'server/src/manifest.ts:1 → ../../jobs/package.json: server imports only domain, db and core (server and jobs never import each other, not even types)',
    ]);
  });

  test('a subpath missing from the exports map is refused, in tests too', () => {
    expect(
      problemsWith({
        'server/src/app.ts': "import { helper } from '@f1/domain/ratings/helper';\n",
        'tests/x.test.ts': "mock.module('@f1/db/connection', () => ({}));\n",
      }),
    ).toEqual([
      'server/src/app.ts:1 → @f1/domain/ratings/helper: "./ratings/helper" is not in @f1/domain\'s exports map',
      'tests/x.test.ts:1 → @f1/db/connection: "./connection" is not in @f1/db\'s exports map',
    ]);
  });

  test('a package importing itself by name, and an export pointing at no file', () => {
    expect(
      problemsWith({
        'db/src/self.ts': "import type { DB } from '@f1/db/schema';\n",
        'core/package.json': manifest('@f1/core', { exports: { './logger': './src/logger.tsx' } }),
      }),
    ).toEqual([
      'db/src/schema.ts:1 → @f1/core/logger: no module at core/src/logger.tsx',
      'db/src/self.ts:1 → @f1/db/schema: @f1/db imports itself by name: use a relative path',
      'domain/src/ratings/elo.ts:2 → @f1/core/logger: no module at core/src/logger.tsx',
      'core/package.json → exports "./logger": should point at ./src/logger.ts',
    ]);
  });

  test('wildcards and entries nobody imports are flagged on the map', () => {
    expect(
      problemsWith({
        'domain/package.json': manifest('@f1/domain', {
          exports: {
            './ratings/elo': './src/ratings/elo.ts',
            './old': './src/old.ts',
            './*': './src/*.ts',
          },
        }),
      }),
    ).toEqual([
      'domain/package.json → exports "./old": nothing outside @f1/domain imports it',
      'domain/package.json → exports "./*": a wildcard makes every file public: name modules',
    ]);
  });
});

describe('production code never imports test code', () => {
  test('by name, by relative path, or bun:test', () => {
    expect(
      problemsWith({
        'server/src/app.ts': "import { freshDatabase } from '@f1/db/testing';\n",
        'server/src/boot.ts':
          "import { x } from './testing.ts';\nimport { y } from './app.test';\n",
        'jobs/src/run.ts': "import { expect } from 'bun:test';\n",
        'jobs/src/load.ts': 'await import(process.argv[2]);\n',
        'jobs/src/load.test.ts': 'await import(process.argv[2]);\n',
      }),
    ).toEqual([
      'jobs/src/load.ts:1 → import(…): a computed import() cannot be checked: use a literal',
      'jobs/src/run.ts:1 → bun:test: production code must not import test code',
      'server/src/app.ts:1 → @f1/db/testing: production code must not import test code',
      'server/src/boot.ts:1 → ./testing.ts: production code must not import test code',
      'server/src/boot.ts:2 → ./app.test: production code must not import test code',
    ]);
  });

  test('a test kit package is test code: tests may use it, production may not', () => {
    expect(
      problemsWith({
        'package.json': JSON.stringify({
          workspaces: ['core', 'db', 'domain', 'server', 'jobs', 'sdk', 'testkit'],
        }),
        'testkit/package.json': manifest('@f1/testkit', {
          exports: { './callers': './src/callers.ts' },
        }),
        'testkit/src/callers.ts': "import { x } from '@f1/jobs/records';\n",
        'tests/y.test.ts': "import { callers } from '@f1/testkit/callers';\n",
        'server/src/app.ts': "import { callers } from '@f1/testkit/callers';\n",
      }),
    ).toEqual([
      'server/src/app.ts:1 → @f1/testkit/callers: server imports only domain, db and core (server and jobs never import each other, not even types)',
      'server/src/app.ts:1 → @f1/testkit/callers: production code must not import test code',
    ]);
  });
});

describe('--write-exports', () => {
  test('rewrites wildcard maps to the modules other packages import, keeping the other fields', () => {
    const tree = cleanTree();
    for (const dir of ['core', 'db', 'domain', 'jobs']) {
      const pkg = JSON.parse(tree[`${dir}/package.json`] as string) as Record<string, unknown>;
      tree[`${dir}/package.json`] = manifest(String(pkg.name), {
        ...pkg,
        exports: { '.': './src/index.ts', './*': './src/*.ts' },
      });
    }
    tree['domain/src/ratings/index.ts'] = 'export const ratings = 1;\n';
    tree['server/src/ratings.ts'] = "import { ratings } from '@f1/domain/ratings';\n";
    const root = writeTree(tree);
    expect(run({ root, writeExports: false }).exitCode).toBe(1);

    const outcome = run({ root, writeExports: true });
    expect(outcome).toEqual({
      lines: [
        'wrote core/package.json exports (1 modules)',
        'wrote db/package.json exports (2 modules)',
        'wrote domain/package.json exports (2 modules)',
        'wrote jobs/package.json exports (1 modules)',
      ],
      exitCode: 0,
    });
    const db = JSON.parse(readFileSync(path.join(root, 'db/package.json'), 'utf8'));
    expect(db).toEqual({
      name: '@f1/db',
      type: 'module',
      exports: { './schema': './src/schema.ts', './testing': './src/testing.ts' },
      dependencies: { '@f1/core': 'workspace:*' },
    });
    const domain = JSON.parse(readFileSync(path.join(root, 'domain/package.json'), 'utf8'));
    expect(domain.exports).toEqual({
      './ratings': './src/ratings/index.ts',
      './ratings/elo': './src/ratings/elo.ts',
    });
    // A second run has nothing to write.
    expect(run({ root, writeExports: true })).toEqual({ lines: [], exitCode: 0 });
  });

  test('an import of a module that does not exist stays a problem after writing', () => {
    const root = writeTree({
      ...cleanTree(),
      'jobs/src/ghost.ts': "import { g } from '@f1/db/ghost';\n",
    });
    const outcome = run({ root, writeExports: true });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines).toContain(
      'jobs/src/ghost.ts:1 → @f1/db/ghost: no module at db/src/ghost.ts',
    );
  });
});

describe('command line', () => {
  test('parseArgs: defaults to this repository; --root and --write-exports', () => {
    expect(parseArgs([])).toEqual({
      root: path.resolve(import.meta.dir, '..'),
      writeExports: false,
    });
    expect(parseArgs(['--write-exports', '--root', '/tmp/x'])).toEqual({
      root: '/tmp/x',
      writeExports: true,
    });
  });

  test('exits 1 with the problems on stderr, 0 on a clean tree', () => {
    const script = path.join(import.meta.dir, 'check-layers.ts');
    const dirty = writeTree({ ...cleanTree(), 'core/src/up.ts': "import '@f1/db/schema';\n" });
    const bad = Bun.spawnSync(['bun', script, '--root', dirty], { stderr: 'pipe', stdout: 'pipe' });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.toString()).toStartWith(
      'core/src/up.ts:1 → @f1/db/schema: core imports no workspace package\n',
    );
    const clean = writeTree(cleanTree());
    const good = Bun.spawnSync(['bun', script, '--root', clean], {
      stderr: 'pipe',
      stdout: 'pipe',
    });
    expect([good.exitCode, good.stdout.toString(), good.stderr.toString()]).toEqual([0, '', '']);
  });
});

test('resolveExport: exact keys, * patterns and condition objects', () => {
  const exports = {
    '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    './a': './src/a.ts',
    './lib/*.js': './src/lib/*.ts',
    './odd': 42,
  };
  expect(resolveExport(exports, '.')).toBe('./dist/index.js');
  expect(resolveExport(exports, './a')).toBe('./src/a.ts');
  expect(resolveExport(exports, './lib/x/y.js')).toBe('./src/lib/x/y.ts');
  expect(resolveExport(exports, './lib/x.ts')).toBeNull();
  expect(resolveExport(exports, './b')).toBeNull();
  expect(resolveExport(exports, './odd')).toBeNull();
  expect(resolveExport({ '.': { types: './t.d.ts' } }, '.')).toBe('./t.d.ts');
});
