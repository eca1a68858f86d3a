/**
 * Inputs derived from an input schema (JSON Schema: `z.toJSONSchema` of a procedure's zod input, or
 * the OpenAPI document's parameter and body schemas): a plausible valid baseline, the paths of its
 * fields (nested objects and array items included), and the malformed values to put at each path.
 */
import { Deep, RawObject, Special, type Tree } from './wire-values.ts';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  $ref?: string;
}

export type Resolve = (schema: JsonSchema) => JsonSchema;

/** Follows `$ref`s and picks the first non-null branch of a union. */
export function resolver(components: Record<string, JsonSchema> = {}): Resolve {
  const resolve: Resolve = (schema) => {
    let current = schema;
    for (let i = 0; i < 10; i++) {
      if (current.$ref) {
        current = components[current.$ref.split('/').at(-1) ?? ''] ?? {};
        continue;
      }
      const union = current.anyOf ?? current.oneOf;
      if (union) {
        current = union.find((s) => s.type !== 'null') ?? {};
        continue;
      }
      if (current.allOf?.[0]) {
        current = current.allOf[0];
        continue;
      }
      return current;
    }
    return current;
  };
  return resolve;
}

const typeOf = (schema: JsonSchema): string => {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return type ?? (schema.properties ? 'object' : 'unknown');
};

/**
 * The baseline email. The runner gives each request its own copy (own-account.ts): the per-account
 * login limit would otherwise answer 429 to all but the first few cases that keep it.
 */
export const BASELINE_EMAIL = 'fuzz-nobody@example.test';

/** Ids and values that exist in the fuzz database, so a valid-looking input reaches the SQL. */
const NAMED: Record<string, unknown> = {
  season: 2023,
  round: 3,
  driverId: 'max_verstappen',
  teamId: 'red_bull',
  circuitId: 'monaco',
  email: BASELINE_EMAIL,
  password: 'correct horse battery staple',
  model: 'fuzz-model',
  version: '1',
  limit: 5,
  lastRaces: 5,
  id: 1,
  userId: 1,
  name: 'fuzz',
};

/** A plausible valid value (required fields only for objects). */
export function baseline(schema: JsonSchema, resolve: Resolve, name = '', depth = 0): Tree {
  const s = resolve(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const named = NAMED[name];
  const type = typeOf(s);
  if (
    named !== undefined &&
    (type === typeof named || (type === 'integer' && typeof named === 'number'))
  )
    return named;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? (s.exclusiveMinimum ?? 0) + 1, 1), s.maximum ?? 1);
    case 'string':
      if (s.format === 'date-time') return new Special('Date').superjson().json;
      return 'fuzz'.padEnd(s.minLength ?? 1, 'z').slice(0, Math.max(s.maxLength ?? 4, 1));
    case 'boolean':
      return false;
    case 'array':
      return depth > 4 || !s.items
        ? []
        : Array.from({ length: Math.max(1, s.minItems ?? 1) }, () =>
            baseline(s.items as JsonSchema, resolve, '', depth + 1),
          );
    case 'object': {
      const out: Record<string, Tree> = {};
      for (const key of s.required ?? []) {
        const property = s.properties?.[key];
        if (property) out[key] = baseline(property, resolve, key, depth + 1);
      }
      return out;
    }
    default:
      // `z.date()` has no JSON Schema: the fields that hold one (`since`, `expiresAt`) take a Date.
      return new Special('Date');
  }
}

export interface FieldPath {
  path: (string | number)[];
  schema: JsonSchema;
}

/** Every field of an object schema, nested objects and the first array item included. */
export function fieldPaths(
  schema: JsonSchema,
  resolve: Resolve,
  prefix: (string | number)[] = [],
): FieldPath[] {
  const s = resolve(schema);
  if (prefix.length > 6) return [];
  const type = typeOf(s);
  if (type === 'object') {
    return Object.entries(s.properties ?? {}).flatMap(([key, property]) => [
      { path: [...prefix, key], schema: property },
      ...fieldPaths(property, resolve, [...prefix, key]),
    ]);
  }
  if (type === 'array' && s.items) {
    return [
      { path: [...prefix, 0], schema: s.items },
      ...fieldPaths(s.items, resolve, [...prefix, 0]),
    ];
  }
  return [];
}

/** A copy of `root` with `value` at `path`, building missing containers from the schema. */
export function setPath(root: Tree, path: (string | number)[], value: Tree): Tree {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const array = Array.isArray(root) ? [...root] : [];
    array[head] = setPath(array[head] ?? {}, rest, value);
    return array;
  }
  const object =
    root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...root } : {};
  (object as Record<string, Tree>)[head] = setPath(
    (object as Record<string, Tree>)[head] ?? {},
    rest,
    value,
  );
  return object;
}

export interface BadValue {
  label: string;
  value: Tree;
  /** Findings a failure on this value may belong to (see findings.ts). */
  tags: string[];
}

const MEGABYTE = 'a'.repeat(1 << 20);
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const LISTS = ['circuits.list', 'drivers.list', 'drivers.results', 'races.laps', 'teams.list'];

/** Cursors that decode (base64url JSON of a list's key) to keys no server ever issued. */
function bogusCursors(): BadValue[] {
  const keys: unknown[][] = [
    ['\u0000', 'a', 'b'],
    [9_007_199_254_740_991, 1, 1],
    [-2_147_483_649, 2_147_483_648, 1],
    [1.5, 'x', null],
    ['\ud800', 'x', 'y'],
    [{ a: 1 }, [], {}],
  ];
  return [
    { label: 'cursor:not-base64', value: '!!!@@@', tags: ['cursor'] },
    { label: 'cursor:not-json', value: Buffer.from('{{{').toString('base64url'), tags: ['cursor'] },
    { label: 'cursor:other-list', value: cursorOf(['nope', 1]), tags: ['cursor'] },
    ...LISTS.flatMap((list) =>
      keys.map((key) => ({
        label: `cursor:${list}:${JSON.stringify(key).slice(0, 24)}`,
        value: cursorOf([list, ...key]),
        tags: ['cursor', ...(JSON.stringify(key).includes('\\u0000') ? ['nul'] : [])],
      })),
    ),
  ];
}

/** Malformed values for one field: the generic list plus boundary values from its own schema. */
export function badValues(schema: JsonSchema, resolve: Resolve, name: string): BadValue[] {
  const s = resolve(schema);
  const out: BadValue[] = [
    { label: 'null', value: null, tags: [] },
    { label: 'true', value: true, tags: [] },
    { label: '0', value: 0, tags: [] },
    { label: '-1', value: -1, tags: [] },
    { label: '1.5', value: 1.5, tags: [] },
    { label: '1e308', value: 1e308, tags: [] },
    { label: '-1e308', value: -1e308, tags: [] },
    { label: '2^53', value: 2 ** 53, tags: [] },
    { label: '2^31', value: 2 ** 31, tags: [] },
    { label: '-2^31-1', value: -(2 ** 31) - 1, tags: [] },
    { label: '5e-324', value: 5e-324, tags: [] },
    { label: 'NaN', value: new Special('NaN'), tags: ['special'] },
    { label: 'Infinity', value: new Special('Infinity'), tags: ['special'] },
    { label: '-Infinity', value: new Special('-Infinity'), tags: ['special'] },
    { label: '-0', value: new Special('-0'), tags: ['special'] },
    { label: 'bigint', value: new Special('bigint'), tags: ['special', 'unserializable'] },
    { label: 'Date', value: new Special('Date'), tags: ['special'] },
    { label: 'invalid-Date', value: new Special('badDate'), tags: ['special', 'unserializable'] },
    { label: 'empty-string', value: '', tags: [] },
    { label: 'blank', value: '   ', tags: [] },
    { label: 'numeric-string', value: '7', tags: [] },
    { label: 'word-NaN', value: 'NaN', tags: [] },
    { label: '400-digits', value: '9'.repeat(400), tags: [] },
    { label: '1MB-string', value: MEGABYTE, tags: ['huge'] },
    { label: '60KB-string', value: MEGABYTE.slice(0, 60_000), tags: ['huge'] },
    { label: 'NUL', value: '\u0000', tags: ['nul'] },
    { label: 'embedded-NUL', value: `max${'\u0000'}verstappen`, tags: ['nul'] },
    { label: 'control-chars', value: '\u0001\u0007\u001b[31m\u007f\u0085', tags: [] },
    { label: 'lone-high-surrogate', value: '\ud800', tags: ['surrogate'] },
    { label: 'lone-low-surrogate', value: 'x\udfffy', tags: ['surrogate'] },
    { label: 'bidi-bom-separators', value: '\u202e\ufeff\u2028\u2029', tags: [] },
    { label: 'emoji', value: '🏎️👨‍👩‍👧', tags: [] },
    { label: 'sql-quote', value: "' OR '1'='1' --", tags: [] },
    { label: 'percent-00', value: '%00', tags: [] },
    { label: 'proto-word', value: '__proto__', tags: [] },
    { label: 'empty-array', value: [], tags: [] },
    { label: 'array-of-null', value: [null], tags: [] },
    { label: 'nested-arrays', value: [[[]]], tags: [] },
    { label: 'empty-object', value: {}, tags: [] },
    { label: 'object', value: { a: 1 }, tags: [] },
    {
      label: 'proto-object',
      value: new RawObject([
        ['__proto__', { admin: true }],
        ['constructor', { prototype: { x: 1 } }],
      ]),
      tags: ['proto-key'],
    },
    { label: 'deep-array-10k', value: new Deep(10_000, 'array'), tags: ['deep'] },
    { label: 'deep-object-10k', value: new Deep(10_000, 'object'), tags: ['deep'] },
    { label: 'long-array', value: Array.from({ length: 10_000 }, (_, i) => i), tags: [] },
  ];
  if (s.maxLength !== undefined)
    out.push({ label: 'maxLength+1', value: 'b'.repeat(s.maxLength + 1), tags: [] });
  if (s.maximum !== undefined) out.push({ label: 'maximum+1', value: s.maximum + 1, tags: [] });
  if (s.minimum !== undefined) out.push({ label: 'minimum-1', value: s.minimum - 1, tags: [] });
  if (s.enum?.length) {
    out.push({ label: 'enum-case', value: String(s.enum[0]).toUpperCase(), tags: [] });
    out.push({ label: 'enum-proto', value: 'constructor', tags: [] });
  }
  if (s.maxItems !== undefined && s.items && s.maxItems <= 5_000) {
    out.push({
      label: 'maxItems+1',
      value: Array.from({ length: s.maxItems + 1 }, () => ({})),
      tags: [],
    });
  }
  if (name === 'cursor') out.push(...bogusCursors());
  return out;
}
