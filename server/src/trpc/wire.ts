/**
 * The tRPC wire transformer: superjson's format, with a fast path for what our procedures return.
 *
 * `superjson.serialize` walks every value through its plugin registry and builds path maps for
 * referential equality; on a 20-row result that costs several hundred microseconds per response, more
 * than the rest of a cached answer. `serialize` here walks plain JSON data once and records only the
 * Dates, producing exactly what superjson produces (`{ json, meta: { values: { 'a.0.b': ['Date'] },
 * v: 1 } }`). Anything it does not handle itself — undefined, NaN/±Infinity/-0, bigint, Map, Set,
 * class instances, a root Date, keys with dots, or an object or Date reached twice (superjson records
 * those as referential equalities) — falls back to superjson for the whole value. Deserializing skips
 * superjson's deep copy of a payload that is ours alone.
 */
import superjson, { type SuperJSONResult } from 'superjson';
import { isValueAnnotationTree } from './wire-annotations.ts';

/** Thrown inside the walk to fall back to superjson. */
const FALLBACK = Symbol('fallback');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function walk(value: unknown, path: string, dates: string[], seen: Set<object>): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw FALLBACK;
    return value;
  }
  if (typeof value !== 'object') throw FALLBACK;
  if (seen.has(value)) throw FALLBACK;
  seen.add(value);
  if (value instanceof Date) {
    if (path === '' || Number.isNaN(value.getTime())) throw FALLBACK;
    dates.push(path);
    return value.toISOString();
  }
  const prefix = path === '' ? '' : `${path}.`;
  if (Array.isArray(value)) {
    const out: Json[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = walk(value[i], `${prefix}${i}`, dates, seen);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw FALLBACK;
  const out: { [key: string]: Json } = {};
  for (const key in value) {
    if (key.includes('.') || key.includes('\\')) throw FALLBACK;
    out[key] = walk((value as Record<string, unknown>)[key], `${prefix}${key}`, dates, seen);
  }
  return out;
}

export function serialize(value: unknown): SuperJSONResult {
  const dates: string[] = [];
  let json: Json;
  try {
    json = walk(value, '', dates, new Set());
  } catch (error) {
    if (error === FALLBACK) return superjson.serialize(value);
    throw error;
  }
  if (dates.length === 0) return { json };
  const values: Record<string, ['Date']> = {};
  for (const path of dates) values[path] = ['Date'];
  return { json, meta: { values, v: 1 } };
}

/** The object holding `path`'s last key and that key (dot-separated path, no escapes), or null. */
function holderOf(json: unknown, path: string): [Record<string, unknown>, string] | null {
  const keys = path.split('.');
  const last = keys.pop();
  let node: unknown = json;
  // Own keys only: a client's path (`__proto__.x`, `constructor.prototype`) never walks a prototype.
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return null;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null || last === undefined) return null;
  return [node as Record<string, unknown>, last];
}

function canReviveDate(json: unknown, path: string): boolean {
  const found = holderOf(json, path);
  return (
    found !== null && Object.hasOwn(found[0], found[1]) && typeof found[0][found[1]] === 'string'
  );
}

function reviveDate(json: unknown, path: string): void {
  const found = holderOf(json, path);
  if (found) found[0][found[1]] = new Date(found[0][found[1]] as string);
}

/** Meta that only records Dates at plain paths: what `serialize` writes. */
function onlyDates(
  meta: NonNullable<SuperJSONResult['meta']>,
): meta is { values: Record<string, ['Date']> } {
  const { values } = meta;
  return (
    meta.referentialEqualities === undefined &&
    values !== undefined &&
    !Array.isArray(values) &&
    Object.entries(values).every(
      ([path, type]) => !path.includes('\\') && type.length === 1 && type[0] === 'Date',
    )
  );
}

/**
 * A payload whose meta does not fit its json (a path to nowhere, an unknown type, `__proto__`). Its
 * message is what the client sees (tRPC copies it into the 400): superjson's own, or the engine's
 * (`undefined is not an object (evaluating 'object[key]')`), stay in `cause`.
 */
export class WireFormatError extends Error {
  constructor(cause: unknown) {
    super('the input is not valid superjson: its meta does not match its json', { cause });
    this.name = 'WireFormatError';
  }
}

/**
 * The inverse of `serialize`, on a payload the caller owns (fresh from `JSON.parse`): returned as is
 * when there is no meta (superjson would deep-copy it first), Dates revived in place when the meta
 * records only Dates at plain paths, superjson for anything else. Throws `WireFormatError` for a
 * payload neither can decode.
 */
export function deserialize<T>(payload: SuperJSONResult): T {
  try {
    return decode<T>(payload);
  } catch (cause) {
    throw new WireFormatError(cause);
  }
}

function decode<T>(payload: SuperJSONResult): T {
  const { json, meta } = payload;
  if (!meta) return json as T;
  if (!isValueAnnotationTree(meta.values)) throw new Error('invalid superjson meta.values');
  if (onlyDates(meta)) {
    const paths = Object.keys(meta.values);
    if (paths.every((path) => canReviveDate(json, path))) {
      for (const path of paths) reviveDate(json, path);
      return json as T;
    }
  }
  return superjson.deserialize<T>(payload);
}

/** For `initTRPC.create({ transformer })` and the tRPC clients' links (wire-compatible with superjson). */
export const wireTransformer = { serialize, deserialize };

/** The string form the query cache stores. */
export const stringify = (value: unknown): string => JSON.stringify(serialize(value));
/** Parses what `stringify` wrote. */
export function parse<T>(text: string): T {
  return deserialize<T>(JSON.parse(text) as SuperJSONResult);
}
