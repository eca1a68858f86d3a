import { describe, expect, test } from 'bun:test';
import { type ImportRef, scanImports } from './imports.ts';

const specs = (src: string): (string | null)[] => scanImports(src).map((r) => r.specifier);
const only = (src: string): ImportRef => {
  const refs = scanImports(src);
  expect(refs).toHaveLength(1);
  return refs[0] as ImportRef;
};

describe('scanImports: forms', () => {
  test('static imports of every shape, with the line of the import keyword', () => {
    const src = [
      "import a from 'a';",
      "import * as b from 'b';",
      "import { c, type C } from 'c';",
      "import d, { e } from 'd';",
      "import 'side-effect';",
      'import {',
      '  f,',
      "} from 'f';",
      "import g = require('g');",
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 1, kind: 'static', specifier: 'a', typeOnly: false },
      { line: 2, kind: 'static', specifier: 'b', typeOnly: false },
      { line: 3, kind: 'static', specifier: 'c', typeOnly: false },
      { line: 4, kind: 'static', specifier: 'd', typeOnly: false },
      { line: 5, kind: 'static', specifier: 'side-effect', typeOnly: false },
      { line: 6, kind: 'static', specifier: 'f', typeOnly: false },
      { line: 9, kind: 'require', specifier: 'g', typeOnly: false },
    ]);
  });

  test('re-exports: named, star, namespaced and type-only; local exports are not imports', () => {
    const src = [
      "export { a } from 'a';",
      "export * from 'b';",
      "export * as c from 'c';",
      "export type { D } from 'd';",
      "export type * from 'e';",
      'export const x = 1;',
      'export { x as y };',
      'export type T = string;',
      'export default function f() {}',
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 1, kind: 'export', specifier: 'a', typeOnly: false },
      { line: 2, kind: 'export', specifier: 'b', typeOnly: false },
      { line: 3, kind: 'export', specifier: 'c', typeOnly: false },
      { line: 4, kind: 'export', specifier: 'd', typeOnly: true },
      { line: 5, kind: 'export', specifier: 'e', typeOnly: true },
    ]);
  });

  test("Bun's import.meta.require() and triple-slash reference directives", () => {
    const src = [
      "const a = import.meta.require('a');",
      '/// <reference path="../b/src/x.ts" />',
      "/// <reference types='c' />",
      '// /// <reference path="not-a-directive" />',
      "const d = other.meta.require('d');",
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 1, kind: 'require', specifier: 'a', typeOnly: false },
      { line: 2, kind: 'static', specifier: '../b/src/x.ts', typeOnly: true },
      { line: 3, kind: 'static', specifier: 'c', typeOnly: true },
    ]);
  });

  test('dynamic import(), mock.module() and require()', () => {
    const src = [
      "const m = await import('m');",
      "mock.module('@f1/core/logger', () => ({}));",
      "const r = require('bun:test');",
      'const c = await import(process.argv[2]);',
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 1, kind: 'dynamic', specifier: 'm', typeOnly: false },
      { line: 2, kind: 'mock', specifier: '@f1/core/logger', typeOnly: false },
      { line: 3, kind: 'require', specifier: 'bun:test', typeOnly: false },
      { line: 4, kind: 'dynamic', specifier: null, typeOnly: false },
    ]);
  });

  test('type-only: import type, typeof import(), import("x").T — but not import("x").then()', () => {
    expect(only("import type { A } from 'a';").typeOnly).toBe(true);
    expect(only("import type * as A from 'a';").typeOnly).toBe(true);
    expect(only("import type A from 'a';").typeOnly).toBe(true);
    expect(only("type R = typeof import('a');").typeOnly).toBe(true);
    expect(only("let k: import('kysely').Kysely<DB>;").typeOnly).toBe(true);
    expect(only("import('a').then((m) => m.run());").typeOnly).toBe(false);
    expect(only("const { f } = await import('a');").typeOnly).toBe(false);
    // A default import that happens to be called `type` is a value import.
    expect(only("import type from 'a';").typeOnly).toBe(false);
  });
});

describe('scanImports: what is not an import', () => {
  test('comments and strings that look like imports', () => {
    const src = [
      "// import a from 'a';",
      "/* import b from 'b';",
      "   export * from 'c'; */",
      'const s = "import d from \'d\'";',
      'const t = \'mock.module("e")\';',
      "const code = `import f from 'f';`;",
      "import real from 'real';",
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 7, kind: 'static', specifier: 'real', typeOnly: false },
    ]);
  });

  test('import.meta, a method called import, and an unterminated statement', () => {
    expect(specs('const d = import.meta.dir;')).toEqual([]);
    expect(specs("loader.import('x'); obj.require('y');")).toEqual([]);
    expect(specs('import { a }')).toEqual([]);
    expect(specs("import { a } from b; const c = 'c';")).toEqual([]);
  });

  test('regex literals holding quotes or slashes do not derail the scan', () => {
    const src = [
      "const q = /'/g.test(s) ? s.split(/[/']/) : [];",
      'const n = a / b / c;',
      'if (x) return /\\/\\*/.test(y);',
      "import after from 'after';",
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { line: 4, kind: 'static', specifier: 'after', typeOnly: false },
    ]);
  });

  test('template literals with nested substitutions and braces keep the line count', () => {
    // `§` stands for `$`, so these strings do not read as misplaced template placeholders.
    const src = [
      'const t = `a §{fn({ k: `inner §{x}` })} b',
      "c §{'}'} d`;",
      "const u = `import x from 'x'`;",
      "import after from 'after';",
    ]
      .join('\n')
      .replaceAll('§', '$');
    expect(scanImports(src)).toEqual([
      { line: 4, kind: 'static', specifier: 'after', typeOnly: false },
    ]);
  });

  test('escaped quotes in strings and numbers with dots', () => {
    const src = ["const s = 'it\\'s'; const n = 1.5e3;", "export * from 'e';"].join('\n');
    expect(specs(src)).toEqual(['e']);
  });
});
