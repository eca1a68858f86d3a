/**
 * The layer check: every import in the workspace against the rules in rules.ts — which package may
 * import which, cross-package imports only through the target's `exports` map, production code never
 * importing test code — and every explicit `exports` map against the imports that use it.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { explicitExports, exportKey, resolveExport } from './exports.ts';
import { type ImportRef, scanImports } from './imports.ts';
import { isTestPath, LAYERS, TEST_MODULES, TEST_PACKAGE_DIRS } from './rules.ts';
import { ownerOf, type SourceFile, type Workspace, type WorkspacePackage } from './workspace.ts';

export interface Problem {
  /** `file:line` or `pkg/package.json`. */
  readonly where: string;
  /** The import specifier or the exports key concerned. */
  readonly target: string;
  readonly rule: string;
}

export interface CheckResult {
  readonly problems: Problem[];
  /** Per managed package: the exports keys that files outside it import. */
  readonly wanted: ReadonlyMap<WorkspacePackage, ReadonlySet<string>>;
}

/** `@f1/db/schema` → [`@f1/db`, `schema`]; `kysely` → [`kysely`, ``]. */
export function splitSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  return [parts.slice(0, nameLength).join('/'), parts.slice(nameLength).join('/')];
}

/**
 * The relative import's target file, trying the extensions a bundler would, with symlinks resolved
 * (`node_modules/@f1/jobs/…` is the jobs package's folder).
 */
function resolveRelative(file: SourceFile, specifier: string): string {
  const target = path.resolve(path.dirname(file.abs), specifier);
  const candidates = [target, `${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')];
  const found = candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
  return found === undefined ? target : realpathSync(found);
}

/** `abs` (symlinks resolved) relative to the workspace root (resolved the same way). */
const toRel = (realRoot: string, abs: string): string =>
  path.relative(realRoot, abs).split(path.sep).join('/');

class Checker {
  readonly problems: Problem[] = [];
  readonly wanted = new Map<WorkspacePackage, Set<string>>();
  private readonly realRoot: string;

  constructor(private readonly ws: Workspace) {
    this.realRoot = realpathSync(ws.root);
    for (const pkg of ws.packages) {
      if (LAYERS[pkg.name]?.explicitExports || TEST_PACKAGE_DIRS.has(pkg.dir)) {
        this.wanted.set(pkg, new Set());
      }
    }
  }

  report(where: string, target: string, rule: string): void {
    this.problems.push({ where, target, rule });
  }

  checkFile(file: SourceFile): void {
    const production = !isTestPath(file.rel);
    for (const ref of scanImports(readFileSync(file.abs, 'utf8'))) {
      const where = `${file.rel}:${ref.line}`;
      if (ref.specifier === null) {
        if (production) {
          this.report(where, 'import(…)', 'a computed import() cannot be checked: use a literal');
        }
      } else if (ref.specifier.startsWith('.') || ref.specifier.startsWith('/')) {
        this.checkRelative(file, ref, ref.specifier, production);
      } else {
        this.checkBare(file, ref, ref.specifier, production);
      }
    }
  }

  private checkRelative(file: SourceFile, ref: ImportRef, specifier: string, production: boolean) {
    const where = `${file.rel}:${ref.line}`;
    const targetRel = toRel(this.realRoot, resolveRelative(file, specifier));
    const owner = ownerOf(this.ws.packages, targetRel);
    // A package's src/ is reachable from outside only by name; its tooling (scripts/) is not a module.
    if (owner !== null && owner !== file.pkg && targetRel.startsWith(`${owner.dir}/src/`)) {
      this.report(
        where,
        specifier,
        `relative import into ${owner.name}'s src/: import it by name, through its exports map`,
      );
    } else if (production && owner !== null && file.pkg !== null && owner !== file.pkg) {
      // Any other file of a package (its package.json, scripts/) is still that package: same arrows.
      this.checkLayer(file.pkg, where, specifier, ref, owner.name);
    }
    if (production && isTestPath(targetRel)) {
      this.report(where, specifier, 'production code must not import test code');
    }
  }

  private checkBare(file: SourceFile, ref: ImportRef, specifier: string, production: boolean) {
    const where = `${file.rel}:${ref.line}`;
    if (TEST_MODULES.has(specifier)) {
      if (production) this.report(where, specifier, 'production code must not import test code');
      return;
    }
    const [name, subpath] = splitSpecifier(specifier);
    const target = this.ws.byName.get(name);
    if (target === undefined) return;
    if (target === file.pkg) {
      this.report(where, specifier, `${name} imports itself by name: use a relative path`);
      return;
    }
    if (production && file.pkg !== null) this.checkLayer(file.pkg, where, specifier, ref);
    const key = exportKey(subpath);
    this.wanted.get(target)?.add(key);
    const module = resolveExport(target.exports, key);
    if (module === null) {
      this.report(where, specifier, `"${key}" is not in ${name}'s exports map`);
      return;
    }
    const moduleRel = path.posix.join(target.dir, module);
    if (this.wanted.has(target) && !existsSync(path.join(this.ws.root, moduleRel))) {
      this.report(where, specifier, `no module at ${moduleRel}`);
    } else if (production && isTestPath(moduleRel)) {
      this.report(where, specifier, 'production code must not import test code');
    }
  }

  private checkLayer(
    pkg: WorkspacePackage,
    where: string,
    specifier: string,
    ref: ImportRef,
    name: string = splitSpecifier(specifier)[0],
  ) {
    const rule = LAYERS[pkg.name];
    if (TEST_PACKAGE_DIRS.has(pkg.dir)) return;
    if (rule === undefined) {
      this.report(
        where,
        specifier,
        `${pkg.name} has no layer rule (add it to scripts/layers/rules.ts)`,
      );
      return;
    }
    if (rule.imports.includes(name)) return;
    if (rule.typeImports.includes(name) && ref.typeOnly) return;
    this.report(where, specifier, rule.why);
  }

  /** Each explicit map must name exactly the modules other packages import, and point at real files. */
  checkExportsMaps(): void {
    for (const [pkg, keys] of this.wanted) {
      const where = `${pkg.dir}/package.json`;
      const expected = explicitExports(this.ws.root, pkg, keys);
      for (const [key, value] of Object.entries(pkg.exports)) {
        if (key.includes('*')) {
          this.report(
            where,
            `exports "${key}"`,
            'a wildcard makes every file public: name modules',
          );
        } else if (!keys.has(key)) {
          this.report(where, `exports "${key}"`, `nothing outside ${pkg.name} imports it`);
        } else if (value !== expected[key]) {
          this.report(where, `exports "${key}"`, `should point at ${String(expected[key])}`);
        }
      }
    }
  }
}

/**
 * A package's run-time `dependencies` may name only workspace packages its layer lets it import (a
 * test-only use belongs in devDependencies), so package.json states the same arrows as the code.
 */
function checkDependencies(ws: Workspace, report: (p: Problem) => void): void {
  for (const pkg of ws.packages) {
    const rule = LAYERS[pkg.name];
    const deps = pkg.manifest.dependencies;
    if (rule === undefined || typeof deps !== 'object' || deps === null) continue;
    for (const dep of Object.keys(deps)) {
      if (ws.byName.has(dep) && !rule.imports.includes(dep)) {
        report({
          where: `${pkg.dir}/package.json`,
          target: `dependencies "${dep}"`,
          rule: `${rule.why}; a test-only dependency goes in devDependencies`,
        });
      }
    }
  }
}

/** Runs every rule over the workspace. */
export function checkWorkspace(ws: Workspace): CheckResult {
  const checker = new Checker(ws);
  for (const file of ws.files) checker.checkFile(file);
  checker.checkExportsMaps();
  checkDependencies(ws, (p) => checker.problems.push(p));
  return { problems: checker.problems, wanted: checker.wanted };
}

export const formatProblem = (p: Problem): string => `${p.where} → ${p.target}: ${p.rule}`;
