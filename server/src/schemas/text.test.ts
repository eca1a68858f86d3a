import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { appRouter } from '../trpc/router.ts';
import { isPgText, PG_TEXT, PG_TEXT_MESSAGE, text } from './text.ts';

type Def = { type: string; checks?: unknown[] } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Schemas a def leads to, for every zod type an input can use; null for a type the walk does not know. */
function children(def: Def): unknown[] | null {
  switch (def.type) {
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'bigint':
    case 'date':
    case 'enum':
    case 'literal':
    case 'null':
    case 'undefined':
    case 'void':
    case 'never':
    case 'nan':
      return [];
    case 'object':
      return [...Object.values(def.shape as object), ...(def.catchall ? [def.catchall] : [])];
    case 'array':
    case 'set':
      return [def.element ?? def.valueType];
    case 'tuple':
      return [...(def.items as unknown[]), ...(def.rest ? [def.rest] : [])];
    case 'union':
      return def.options as unknown[];
    case 'intersection':
      return [def.left, def.right];
    case 'record':
    case 'map':
      return [def.keyType, def.valueType];
    case 'pipe':
      return [def.in, def.out];
    case 'transform':
      return [];
    case 'lazy':
      return [(def.getter as () => unknown)()];
    default:
      return 'innerType' in def ? [def.innerType] : null;
  }
}

/** Every string schema reachable from `schema`, with its path, and types the walk cannot see into. */
function walk(schema: unknown, path: string, out: { strings: [string, Def][]; unknown: string[] }) {
  const def = defOf(schema);
  if (def.type === 'string') out.strings.push([path, def]);
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape as object))
      walk(field, `${path}.${key}`, out);
    return;
  }
  const next = children(def);
  if (next === null) out.unknown.push(`${path}: ${def.type}`);
  else for (const child of next) walk(child, def.type === 'array' ? `${path}[]` : path, out);
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>,
);

describe('PostgreSQL-safe text', () => {
  test('NUL and unpaired surrogates are refused; everything else, pairs included, is kept', () => {
    expect(['', 'Max Verstappen', 'Pérez', '周冠宇', '🏎️ fast', '\t\n'].map(isPgText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['a\u0000b', '\u0000', '\ud800', 'x\udc00', '\ude00\ud83d'].map(isPgText)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const issues = z.object({ name: text().min(1) }).safeParse({ name: 'a\u0000' }).error?.issues;
    expect(issues?.map((i) => [i.path, i.message])).toEqual([[['name'], PG_TEXT_MESSAGE]]);
  });

  test('every string in every procedure input carries the check (regression: NUL reached SQL → 500)', () => {
    const found = { strings: [] as [string, Def][], unknown: [] as string[] };
    for (const [path, procedure] of procedures)
      for (const input of procedure._def.inputs) walk(input, path, found);
    expect(found.unknown).toEqual([]);
    // The walk does reach the strings (the list would be empty if it lost its way).
    expect(found.strings.length).toBeGreaterThan(20);
    const unchecked = found.strings
      .filter(([, def]) => !def.checks?.includes(PG_TEXT))
      .map(([path]) => path);
    expect([...new Set(unchecked)]).toEqual([]);
  });
});
