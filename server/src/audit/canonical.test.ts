import { describe, expect, test } from 'bun:test';
import { canonicalText, MAX_DEPTH, MAX_NODES, TRUNCATED } from './canonical.ts';

const plain = { redact: () => null };
const text = (value: unknown) => canonicalText(value, plain).text;

/** `[[[…1…]]]`, `levels` deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('canonical text', () => {
  test('plain JSON data encodes as JSON.stringify does, with keys sorted', () => {
    const value = { b: [1, 'two', null, true, { d: 1, c: -0.5 }], a: 'é\u2028"', u: undefined };
    expect(text(value)).toBe(
      JSON.stringify({ a: 'é\u2028"', b: [1, 'two', null, true, { c: -0.5, d: 1 }] }),
    );
    expect(text([undefined, 1])).toBe('[null,1]');
    expect(text(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  test('what JSON.stringify throws on or loses is tagged (regression: the audit row went unwritten)', () => {
    expect(() => JSON.stringify({ x: 1n })).toThrow();
    expect(text({ x: 1n })).toBe('{"x":{"$bigint":"1"}}');
    expect(text({ x: new Date('nope') })).toBe('{"x":{"$date":"invalid"}}');
    expect(text({ x: Number.NaN, y: -Infinity })).toBe(
      '{"x":{"$number":"NaN"},"y":{"$number":"-Infinity"}}',
    );
    expect(text(new Map([[1n, 'a']]))).toBe('{"$map":[[{"$bigint":"1"},"a"]]}');
    expect(text(new Set(['b', 'a']))).toBe('{"$set":["a","b"]}');
    expect(text(/x/g)).toBe('{"$type":"RegExp"}');
    expect(text(Symbol('s'))).toBe('{"$type":"symbol"}');
  });

  test('the same content gives the same text whatever the insertion order', () => {
    expect(
      text(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBe(
      text(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    );
    expect(text(new Set([2, 1]))).toBe(text(new Set([1, 2])));
    expect(text({ y: 1, x: 2 })).toBe(text({ x: 2, y: 1 }));
  });

  test('depth, cycles and size are bounded, and say so', () => {
    const deep = canonicalText(nested(100_000), plain);
    expect(deep.truncated).toBe(true);
    expect(deep.text.length).toBeLessThan(4 * MAX_DEPTH);
    expect(deep.text).toContain(TRUNCATED);
    expect(canonicalText(nested(MAX_DEPTH), plain).truncated).toBe(false);

    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(canonicalText(cyclic, plain)).toEqual({
      text: `{"a":1,"self":"${TRUNCATED}"}`,
      truncated: true,
    });
    const shared = { n: 1 };
    expect(canonicalText([shared, shared], plain)).toEqual({
      text: '[{"n":1},{"n":1}]',
      truncated: false,
    });

    const small = { ...plain, maxNodes: 5 };
    expect(canonicalText([0, 0, 0, 0, 0, 0, 0, 0], small)).toEqual({
      text: `[0,0,0,0,"${TRUNCATED}"]`,
      truncated: true,
    });
    expect(canonicalText({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, small).text).toBe(
      `{"a":1,"b":2,"c":3,"d":4,"${TRUNCATED}"}`,
    );
    // The real budget takes the largest bulk submission whole (5,000 sets of 20 entries ≈ 0.8 M values).
    expect(MAX_NODES).toBeGreaterThan(5_000 * (8 + 20 * 7));
  });

  test('redaction replaces a field whatever it holds', () => {
    const redact = (key: string) => (key === 'secret' ? '[x]' : null);
    expect(canonicalText({ secret: new Map(), keep: 1 }, { redact }).text).toBe(
      '{"keep":1,"secret":"[x]"}',
    );
  });
});
