/**
 * Test support: walks every procedure's input schema (zod 4 defs), so a test can prove that no field of
 * some kind escapes a shared check (text.test.ts: every string; timestamp.test.ts: every date).
 */
import { appRouter } from '../trpc/router.ts';

export type SchemaDef = { type: string; checks?: unknown[]; format?: string } & Record<
  string,
  unknown
>;

const defOf = (schema: unknown): SchemaDef => (schema as { _zod: { def: SchemaDef } })._zod.def;

const LEAVES = new Set([
  ...['string', 'number', 'int', 'boolean', 'bigint', 'date', 'enum', 'literal'],
  ...['null', 'undefined', 'void', 'never', 'nan', 'transform'],
]);

/** Schemas a def leads to, for every zod type an input can use; null for a type the walk does not know. */
function children(def: SchemaDef): unknown[] | null {
  if (LEAVES.has(def.type)) return [];
  switch (def.type) {
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
    case 'lazy':
      return [(def.getter as () => unknown)()];
    default:
      return 'innerType' in def ? [def.innerType] : null;
  }
}

function walk(schema: unknown, path: string, visit: (path: string, def: SchemaDef) => void) {
  const def = defOf(schema);
  visit(path, def);
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape as object))
      walk(field, `${path}.${key}`, visit);
    return;
  }
  const next = children(def);
  if (next === null) visit(path, { type: `unknown:${def.type}` });
  else for (const child of next) walk(child, def.type === 'array' ? `${path}[]` : path, visit);
}

/**
 * Calls `visit` for every schema reachable from every procedure input (path like
 * `admin.audit.since`). Returns the places whose zod type the walk cannot see into: a test must
 * expect none, or a field could hide there.
 */
export function walkProcedureInputs(visit: (path: string, def: SchemaDef) => void): string[] {
  const unknown: string[] = [];
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { inputs: unknown[] } }
  >;
  for (const [path, procedure] of Object.entries(procedures))
    for (const input of procedure._def.inputs)
      walk(input, path, (at, def) => {
        if (def.type.startsWith('unknown:')) unknown.push(`${at}: ${def.type.slice(8)}`);
        else visit(at, def);
      });
  return unknown;
}
