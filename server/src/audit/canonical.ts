/**
 * The canonical text of any value a client can make the server hold: what the audit hash is taken of.
 *
 * `JSON.stringify` is not enough: a superjson input can carry a BigInt (throws), an invalid Date
 * (`toISOString` throws), a Map or Set (serialised as `{}`), and a JSON body can nest 100,000 deep
 * (stack overflow). Each of those made the audit write fail, so the call went unaudited. This walk
 * never throws for any of them and its output is bounded:
 * - plain JSON data encodes exactly as `JSON.stringify` would with sorted keys (hashes of ordinary
 *   inputs are what they always were);
 * - other values are tagged: `{"$bigint":"1"}`, `{"$date":"invalid"}`, `{"$map":[[k,v],…]}`,
 *   `{"$set":[…]}`, `{"$number":"NaN"}`, `{"$type":"RegExp"}` …, Map entries and Set members in the
 *   order of their encodings, so the same content always gives the same text;
 * - past `MAX_DEPTH` levels, a cycle, or once `MAX_NODES` values were written, a marker string stands
 *   in for the rest and `truncated` is set.
 */

export const MAX_DEPTH = 64;
/** About a 32 MiB bulk submission's worth of values; far more than any other input has. */
export const MAX_NODES = 2_000_000;

export const TRUNCATED = '[truncated]';

export interface CanonicalOptions {
  /** Replaces the value of a field whose name matches (secrets). */
  redact: (key: string) => string | null;
  /** Defaults to MAX_DEPTH / MAX_NODES (tests use small ones). */
  maxDepth?: number;
  maxNodes?: number;
}

export interface Canonical {
  text: string;
  truncated: boolean;
}

export function canonicalText(value: unknown, options: CanonicalOptions): Canonical {
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const maxNodes = options.maxNodes ?? MAX_NODES;
  let nodes = 0;
  let truncated = false;
  const ancestors = new Set<object>();

  const tagged = (tag: string, inner: string) => `{${JSON.stringify(`$${tag}`)}:${inner}}`;

  function encode(node: unknown, depth: number): string {
    if (++nodes > maxNodes || depth > maxDepth) {
      truncated = true;
      return JSON.stringify(TRUNCATED);
    }
    switch (typeof node) {
      case 'string':
      case 'boolean':
        return JSON.stringify(node);
      case 'number':
        return Number.isFinite(node) ? JSON.stringify(node) : tagged('number', `"${node}"`);
      case 'bigint':
        return tagged('bigint', `"${node}"`);
      case 'undefined':
        return 'null';
      case 'object':
        if (node === null) return 'null';
        if (ancestors.has(node)) {
          truncated = true; // a cycle: only a superjson referential equality can make one
          return JSON.stringify(TRUNCATED);
        }
        ancestors.add(node);
        try {
          return encodeObject(node, depth);
        } finally {
          ancestors.delete(node);
        }
      default:
        return tagged('type', JSON.stringify(typeof node));
    }
  }

  const sorted = (items: string[]) => `[${items.sort().join(',')}]`;

  /** Encodes `items` until the node budget runs out; one marker then stands for the rest. */
  function encodeAll<T>(items: Iterable<T>, one: (item: T) => string): string[] {
    const out: string[] = [];
    for (const item of items) {
      if (nodes >= maxNodes) {
        truncated = true;
        out.push(JSON.stringify(TRUNCATED));
        break;
      }
      out.push(one(item));
    }
    return out;
  }

  function encodeObject(node: object, depth: number): string {
    const next = depth + 1;
    // Array.from visits holes (as undefined → null, like JSON.stringify); map would skip them.
    if (Array.isArray(node))
      return `[${encodeAll(Array.from(node), (v) => encode(v, next)).join(',')}]`;
    if (node instanceof Date) {
      const time = node.getTime();
      return Number.isNaN(time) ? tagged('date', '"invalid"') : JSON.stringify(node.toISOString());
    }
    if (node instanceof Map) {
      const entries = encodeAll(node, ([k, v]) => `[${encode(k, next)},${encode(v, next)}]`);
      return tagged('map', sorted(entries));
    }
    if (node instanceof Set) return tagged('set', sorted(encodeAll(node, (v) => encode(v, next))));
    const proto: unknown = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null)
      return tagged('type', JSON.stringify(Object.prototype.toString.call(node).slice(8, -1)));
    const record = node as Record<string, unknown>;
    // As JSON.stringify: a field holding undefined is an absent field.
    const keys = Object.keys(record).filter((key) => record[key] !== undefined);
    const fields = encodeAll(keys.sort(), (key) => {
      const replaced = options.redact(key);
      const encoded = replaced === null ? encode(record[key], next) : JSON.stringify(replaced);
      return `${JSON.stringify(key)}:${encoded}`;
    });
    return `{${fields.join(',')}}`;
  }

  const text = encode(value, 0);
  return { text, truncated };
}
