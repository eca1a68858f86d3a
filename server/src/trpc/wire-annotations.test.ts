/**
 * Regression (fuzz suite, issue 11): superjson value annotations holding a string where a subtree
 * belongs (`"values":"x"`, `["class","Nope"]`) sent superjson into unbounded recursion — seconds of
 * blocked event loop per anonymous request, answered with "Maximum call stack size exceeded.".
 */
import { describe, expect, test } from 'bun:test';
import superjson from 'superjson';
import { deserialize } from './wire.ts';
import { isValueAnnotationTree } from './wire-annotations.ts';

const BOGUS: [string, unknown][] = [
  ['a string', 'x'],
  ['a string under a path', { season: 'xy' }],
  ['a class pair read as children', { season: ['class', 'Nope'] }],
  ['a custom pair read as children', { season: ['custom', 'Nope'] }],
  ['a symbol pair read as children', { season: ['symbol', 'x'] }],
  ['an empty annotation', { season: [] }],
  ['three elements', { season: ['Date', {}, 1] }],
  ['a number type', { season: [1] }],
  ['children that are not a map', { m: ['map', ['x']] }],
];

/** The messages of what `run` throws, its causes included. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' <- ');
  }
  return 'no error';
}

describe('superjson value annotations', () => {
  for (const [name, values] of BOGUS) {
    test(`${name} is refused before superjson walks it`, () => {
      expect(isValueAnnotationTree(values)).toBe(false);
      // Refused with our own error (possibly wrapped), never the stack overflow superjson reaches.
      const thrown = failure(() =>
        deserialize({ json: { season: 2023, m: 1 }, meta: { values } as never }),
      );
      expect(thrown).toContain('invalid superjson meta.values');
      expect(thrown).not.toContain('Maximum call stack');
    });
  }

  test('a tree nested past any real input is refused', () => {
    let tree: unknown = ['Date'];
    for (let i = 0; i < 100; i++) tree = { a: tree };
    expect(isValueAnnotationTree(tree)).toBe(false);
  });

  test('everything superjson itself writes still passes and round-trips', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    superjson.registerClass(Point, { identifier: 'wire-annotations-point' });
    const value = {
      when: new Date('2024-03-02T15:00:00.000Z'),
      big: 10n,
      m: new Map([['a', new Date(0)]]),
      s: new Set([1, undefined]),
      nested: [{ n: Number.NaN }],
      p: new Point(3),
      re: /x/g,
    };
    const written = superjson.serialize(value);
    expect(isValueAnnotationTree(written.meta?.values)).toBe(true);
    expect(deserialize(JSON.parse(JSON.stringify(written)))).toEqual(value);
    const root = superjson.serialize(new Map([[1, new Date(0)]]));
    expect(isValueAnnotationTree(root.meta?.values)).toBe(true);
    expect(deserialize(JSON.parse(JSON.stringify(root)))).toEqual(new Map([[1, new Date(0)]]));
  });
});
