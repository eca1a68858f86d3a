import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { appRouter } from '../trpc/router.ts';
import { isPgTimestamp, PG_TIMESTAMP, TIMESTAMP_MESSAGE, timestamp } from './timestamp.ts';

type Def = { type: string; checks?: unknown[]; format?: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Schemas a def leads to (same walk as text.test.ts); null for a type the walk does not know. */
function children(def: Def): unknown[] | null {
  if (['object'].includes(def.type))
    return [...Object.values(def.shape as object), ...(def.catchall ? [def.catchall] : [])];
  if (def.type === 'array' || def.type === 'set') return [def.element ?? def.valueType];
  if (def.type === 'tuple') return [...(def.items as unknown[]), ...(def.rest ? [def.rest] : [])];
  if (def.type === 'union') return def.options as unknown[];
  if (def.type === 'intersection') return [def.left, def.right];
  if (def.type === 'record' || def.type === 'map') return [def.keyType, def.valueType];
  if (def.type === 'pipe') return [def.in, def.out];
  if (def.type === 'lazy') return [(def.getter as () => unknown)()];
  const leaves = ['string', 'number', 'int', 'boolean', 'bigint', 'date', 'enum', 'literal'];
  if ([...leaves, 'null', 'undefined', 'void', 'never', 'nan', 'transform'].includes(def.type))
    return [];
  return 'innerType' in def ? [def.innerType] : null;
}

type Found = { dates: [string, Def][]; isoStrings: string[]; unknown: string[] };

function walk(schema: unknown, path: string, out: Found) {
  const def = defOf(schema);
  if (def.type === 'date') out.dates.push([path, def]);
  // A date carried as a string format would bypass the bound; none may exist.
  if (def.type === 'string' && ['datetime', 'date'].includes(String(def.format)))
    out.isoStrings.push(path);
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape as object))
      walk(field, `${path}.${key}`, out);
    return;
  }
  const next = children(def);
  if (next === null) out.unknown.push(`${path}: ${def.type}`);
  else for (const child of next) walk(child, path, out);
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>,
);

describe('PostgreSQL-safe timestamps', () => {
  test('years 1–9999 pass; year 0, negative years and year 10000 are refused naming the field', () => {
    const ok = ['0001-01-01T00:00:00Z', '1950-05-13T14:00:00Z', '9999-12-31T23:59:59.999Z'];
    expect(ok.map((s) => isPgTimestamp(new Date(s)))).toEqual([true, true, true]);
    const bad = ['0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00.000Z'];
    expect(bad.map((s) => isPgTimestamp(new Date(s)))).toEqual([false, false, false]);
    const issues = z.object({ since: timestamp() }).safeParse({ since: '0000-01-01T00:00:00Z' })
      .error?.issues;
    expect(issues?.map((i) => [i.path, i.message])).toEqual([[['since'], TIMESTAMP_MESSAGE]]);
    expect(z.object({ at: timestamp() }).safeParse({ at: 'nonsense' }).success).toBe(false);
  });

  test('every date in every procedure input carries the bound (regression: year 0 → 500)', () => {
    const found: Found = { dates: [], isoStrings: [], unknown: [] };
    for (const [path, procedure] of procedures)
      for (const input of procedure._def.inputs) walk(input, path, found);
    expect(found.unknown).toEqual([]);
    expect(found.isoStrings).toEqual([]);
    // The walk does reach the dates (admin.audit since, apiKeys.create expiresAt at least).
    expect(found.dates.map(([path]) => path)).toEqual(
      expect.arrayContaining(['admin.audit.since', 'apiKeys.create.expiresAt']),
    );
    const unbounded = found.dates.filter(([, def]) => !def.checks?.includes(PG_TIMESTAMP));
    expect(unbounded.map(([path]) => path)).toEqual([]);
  });
});
