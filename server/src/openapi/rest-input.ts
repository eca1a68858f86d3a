/**
 * Builds a procedure's input from a REST request: path parameters, plus the query string (GET,
 * DELETE) or the JSON body (POST, PUT, PATCH).
 *
 * Strings from the path and query are converted to what the input schema declares (numbers, booleans,
 * arrays) here, into a new object. trpc-to-openapi's handler instead sets `coerce` on the procedure's
 * own zod schemas, permanently: after one REST call the same procedure on /trpc accepted `"7"` for a
 * number and turned `null` into 0. Strings that are not clean numbers or booleans are passed through
 * unchanged, so validation reports them against the field.
 *
 * Client keys only ever index null-prototype objects, or are looked up with `Object.hasOwn`: a query
 * key such as `constructor` or `__proto__` is a key like any other, never `Object.prototype`'s member.
 * A query key the operation does not declare is a 400 naming it, whether or not the procedure's schema
 * is strict, so every operation treats unknown parameters alike.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

type AnySchema = z.core.$ZodType;

/** Unwraps optional/nullable/default/… to the schema that says what a value is. */
function innerSchema(schema: AnySchema): AnySchema {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = current._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

function typeOf(schema: AnySchema | undefined): string {
  return schema ? innerSchema(schema)._zod.def.type : 'unknown';
}

function fromString(value: string, type: string): unknown {
  if ((type === 'number' || type === 'int') && /^-?\d+(\.\d+)?$/.test(value.trim()))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** The object shape of an input schema (after unwrapping), or null when it takes no object. */
export function inputShape(schema: unknown): Record<string, AnySchema> | null {
  if (!schema || typeof schema !== 'object' || !('_zod' in schema)) return null;
  const inner = innerSchema(schema as AnySchema);
  const def = inner._zod.def as { type: string; shape?: Record<string, AnySchema> };
  return def.type === 'object' && def.shape ? def.shape : null;
}

/** `shape[key]` when `key` is one of the shape's own fields (never an inherited member). */
const fieldOf = (shape: Record<string, AnySchema>, key: string): AnySchema | undefined =>
  Object.hasOwn(shape, key) ? shape[key] : undefined;

/** A BAD_REQUEST naming the undeclared query keys, shaped like a strict schema's own issue. */
function unknownKeys(keys: string[]): TRPCError {
  const list = keys.map((key) => JSON.stringify(key)).join(', ');
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `unknown query parameter${keys.length > 1 ? 's' : ''}: ${list}`,
    cause: new z.ZodRealError([
      { code: 'unrecognized_keys', keys, path: [], message: `Unrecognized key: ${list}` },
    ]),
  });
}

function fieldValue(values: string[], field: AnySchema | undefined): unknown {
  const type = typeOf(field);
  if (type === 'array') {
    const element = (innerSchema(field as AnySchema)._zod.def as { element?: AnySchema }).element;
    return values.map((v) => fromString(v, typeOf(element)));
  }
  const last = values.at(-1) ?? '';
  return values.length > 1 ? values.map((v) => fromString(v, type)) : fromString(last, type);
}

export interface RestInputSources {
  /** The procedure's input parsers (tRPC merges several object inputs into one). */
  schemas: unknown[];
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, for methods that take one. */
  body?: unknown;
  usesBody: boolean;
}

/** The input to call the procedure with (undefined for a procedure without input). */
export function restInput(sources: RestInputSources): unknown {
  const shapes = sources.schemas.map(inputShape);
  const shape: Record<string, AnySchema> | null = shapes.every((s) => s === null)
    ? null
    : Object.assign(Object.create(null), ...shapes);
  const queryKeys = sources.usesBody ? [] : [...new Set(sources.query.keys())];
  const unknown = queryKeys.filter((key) => !shape || !fieldOf(shape, key));
  if (unknown.length) throw unknownKeys(unknown);
  if (!shape) return sources.usesBody ? sources.body : undefined;
  const input: Record<string, unknown> = Object.create(null);
  if (sources.usesBody) {
    if (sources.body !== undefined && (typeof sources.body !== 'object' || sources.body === null))
      return sources.body; // not an object: let validation say so
    // Copied as own properties: `Object.assign` would run the `__proto__` setter for a body key.
    for (const [key, value] of Object.entries(sources.body ?? {})) input[key] = value;
  } else {
    for (const key of queryKeys)
      input[key] = fieldValue(sources.query.getAll(key), fieldOf(shape, key));
  }
  for (const [key, value] of Object.entries(sources.pathParams))
    input[key] = fromString(value, typeOf(fieldOf(shape, key)));
  return input;
}
