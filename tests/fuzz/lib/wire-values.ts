/**
 * Values the fuzzer puts into inputs, and how they are written on each wire.
 *
 * A fuzzed input is a plain tree whose leaves may also be `Special`: a value JSON cannot hold (NaN,
 * ±Infinity, -0, a bigint, a Date valid or not, undefined) — written with a superjson annotation on
 * /trpc and as its bare text (invalid JSON, or a query-string word) over REST — or `Deep`, an array
 * or object nested thousands of levels, written as text so this process never recurses that deep.
 */
export type SpecialKind = 'NaN' | 'Infinity' | '-Infinity' | '-0' | 'bigint' | 'Date' | 'badDate';

export class Special {
  constructor(readonly kind: SpecialKind) {}

  /** superjson's annotation and JSON value for this kind. */
  superjson(): { type: string; json: unknown } {
    switch (this.kind) {
      case 'bigint':
        return { type: 'bigint', json: '123456789012345678901234567890' };
      case 'Date':
        return { type: 'Date', json: '2023-06-01T12:00:00.000Z' };
      case 'badDate':
        return { type: 'Date', json: 'not a date' };
      default:
        return { type: 'number', json: this.kind };
    }
  }

  /** The bare text in a JSON body (a JSON syntax error for the number kinds) or a query string. */
  text(): string {
    switch (this.kind) {
      case 'bigint':
        return '123456789012345678901234567890';
      case 'Date':
        return '"2023-06-01T12:00:00.000Z"';
      case 'badDate':
        return '"not a date"';
      default:
        return this.kind;
    }
  }
}

export class Deep {
  constructor(
    readonly depth: number,
    readonly shape: 'array' | 'object',
  ) {}

  text(): string {
    return this.shape === 'array'
      ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}`
      : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
}

/** An object whose keys are written as given, `__proto__` included (object literals would not). */
export class RawObject {
  constructor(readonly entries: [string, unknown][]) {}
}

export type Tree = unknown;

/** JSON text of a tree; `onSpecial` decides how a Special is written. */
export function encodeTree(
  value: Tree,
  onSpecial: (special: Special, path: string[]) => string,
  path: string[] = [],
): string {
  if (value instanceof Special) return onSpecial(value, path);
  if (value instanceof Deep) return value.text();
  if (value instanceof RawObject) {
    const parts = value.entries.map(
      ([key, item]) => `${JSON.stringify(key)}:${encodeTree(item, onSpecial, [...path, key])}`,
    );
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(value))
    return `[${value.map((item, i) => encodeTree(item, onSpecial, [...path, String(i)])).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}:${encodeTree(item, onSpecial, [...path, key])}`,
    );
    return `{${parts.join(',')}}`;
  }
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/** superjson's path syntax: dot-separated, dots and backslashes in keys escaped. */
const superjsonPath = (path: string[]) =>
  path.map((key) => key.replaceAll('\\', '\\\\').replaceAll('.', '\\.')).join('.');

/** `{"json":…,"meta":…}` as /trpc reads it (meta only when some leaf needs an annotation). */
export function superjsonText(value: Tree, extraMeta?: unknown): string {
  const values: Record<string, [string]> = {};
  const json = encodeTree(value, (special, path) => {
    const { type, json: written } = special.superjson();
    values[superjsonPath(path)] = [type];
    return JSON.stringify(written);
  });
  if (value instanceof Special) {
    // A root annotation is superjson's array form.
    const { type } = value.superjson();
    return `{"json":${json},"meta":{"values":[${JSON.stringify(type)}],"v":1}}`;
  }
  const meta = extraMeta ?? (Object.keys(values).length ? { values, v: 1 } : undefined);
  return meta === undefined
    ? `{"json":${json}}`
    : `{"json":${json},"meta":${JSON.stringify(meta)}}`;
}

/** A JSON body as a REST client would send it (Specials as their bare text). */
export const restBodyText = (value: Tree): string => encodeTree(value, (special) => special.text());

/**
 * A query-string value: strings as they are, Specials as their word, anything structured as JSON text.
 * Lone surrogates (which encodeURIComponent refuses) become CESU-8 bytes: invalid UTF-8 on the wire.
 */
export function queryWord(value: Tree): string {
  if (typeof value === 'string') return value;
  if (value instanceof Special) return value.text().replaceAll('"', '');
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  return restBodyText(value);
}

/** encodeURIComponent that survives lone surrogates. */
export function encodeComponent(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    out += encodeURIComponent(text.slice(start, i));
    out += `%ED%${(0xa0 | ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    start = i + 1;
  }
  return out + encodeURIComponent(text.slice(start));
}
