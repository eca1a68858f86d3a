import { describe, expect, test } from 'bun:test';
import superjson from 'superjson';
import { deserialize, parse, serialize, stringify, WireFormatError } from './wire.ts';

const d1 = new Date('2024-03-02T15:00:00.000Z');
const d2 = new Date('2023-11-26T13:00:00.000Z');
const shared = { a: 1 };

/** Values our procedures return, and values that must fall back to superjson. */
const CASES: [string, () => unknown][] = [
  ['null', () => null],
  ['a string', () => 'ok'],
  ['a number', () => 12.5],
  ['a flat object', () => ({ a: 1, b: 'x', c: null, d: true })],
  [
    'nested rows with Dates',
    () => ({
      season: 2024,
      rows: [
        {
          startsAt: new Date(d1),
          sessions: [{ kind: 'fp1', startsAt: new Date(d2) }, { startsAt: null }],
        },
        { startsAt: null, sessions: [] },
      ],
    }),
  ],
  ['an array at the root', () => [{ at: new Date(d1) }, { at: new Date(d2) }]],
  ['an empty object and array', () => ({ a: {}, b: [] })],
  ['a null-prototype object', () => Object.assign(Object.create(null), { a: 1 })],
  ['undefined members', () => ({ a: undefined, b: 1 })],
  ['NaN, Infinity and -0', () => ({ n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0 })],
  ['a bigint', () => ({ big: 10n })],
  ['a Map and a Set', () => ({ m: new Map([['a', 1]]), s: new Set([1]) })],
  ['a root Date', () => new Date(d1)],
  ['an invalid Date', () => ({ d: new Date('nope') })],
  ['a shared object', () => ({ x: shared, y: shared })],
  ['a shared Date', () => ({ x: d1, y: d1 })],
  ['keys with dots', () => ({ 'a.b': new Date(d1) })],
  ['a class instance', () => ({ e: new Error('x') })],
  ['a regexp', () => ({ r: /x/ })],
];

describe('wire serialize', () => {
  test.each(CASES)('%s: exactly what superjson produces', (_, make) => {
    expect(JSON.stringify(serialize(make()))).toBe(JSON.stringify(superjson.serialize(make())));
  });

  test('round trips through superjson (what the clients run)', () => {
    const value = { rows: [{ at: new Date(d1) }], n: 1 };
    const back = superjson.deserialize<typeof value>(serialize(value));
    expect(back.rows[0]?.at).toEqual(d1);
    expect(parse<typeof value>(stringify(value))).toEqual(value);
  });

  test('parse revives exactly what superjson revives', () => {
    for (const [, make] of CASES) {
      const text = JSON.stringify(superjson.serialize(make()));
      expect(parse(text)).toEqual(superjson.parse(text));
    }
    const nested = { a: [{ b: new Date(d1) }, { b: null }], c: new Date(d2) };
    const back = parse<typeof nested>(stringify(nested));
    expect(back.a[0]?.b).toBeInstanceOf(Date);
    expect(back).toEqual(nested);
    // A recorded path that is not there, or not a string: superjson decides, nothing half-revived.
    for (const json of [{ a: 1 }, { x: { y: 5 } }, { x: 'flat' }]) {
      const odd = JSON.stringify({ json, meta: { values: { 'x.y': ['Date'] }, v: 1 } });
      expect(parse(odd)).toEqual(superjson.parse(odd));
    }
  });

  test('deserialize: the tRPC input path, with and without meta', () => {
    expect(deserialize({ json: { season: 2024 } })).toEqual({ season: 2024 });
    const withDate = serialize({ from: new Date(d1), n: [1] });
    expect(deserialize(JSON.parse(JSON.stringify(withDate)))).toEqual({ from: d1, n: [1] });
    const withMap = JSON.parse(JSON.stringify(superjson.serialize({ m: new Map([['a', 1]]) })));
    expect(deserialize<{ m: Map<string, number> }>(withMap).m.get('a')).toBe(1);
  });

  test('a cyclic value falls back to superjson', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => superjson.serialize(cyclic)).not.toThrow();
    expect(JSON.stringify(serialize(cyclic))).toBe(JSON.stringify(superjson.serialize(cyclic)));
  });

  test('a meta that does not fit its json is a WireFormatError with a message fit for a client', () => {
    const bogus: [string, object][] = [
      ['a path to nowhere (engine text)', { referentialEqualities: { 'b.c': ['d.e'] } }],
      ['__proto__', { values: { '__proto__.x': ['Date'] } }],
      [
        'an unknown class (superjson links its issue tracker)',
        { values: { a: [['class', 'Foo']] } },
      ],
      ['an unknown type', { values: { a: ['nosuch'] } }],
    ];
    for (const [what, meta] of bogus) {
      let thrown: unknown;
      try {
        deserialize({ json: { a: 1 }, meta } as never);
      } catch (error) {
        thrown = error;
      }
      expect([what, thrown instanceof WireFormatError]).toEqual([what, true]);
      expect((thrown as Error).message).toBe(
        'the input is not valid superjson: its meta does not match its json',
      );
    }
  });

  test('Date paths only follow own keys, never a prototype', () => {
    // `constructor.name` is a string on every object's prototype chain: nothing there is revived.
    const payload = { json: { a: 'x' }, meta: { values: { 'constructor.name': ['Date'] } } };
    expect(() => deserialize(payload as never)).toThrow(WireFormatError);
    expect(Object.name).toBe('Object');
    // A key the client sent is followed, even one named __proto__; Object.prototype is not touched.
    const own = JSON.parse('{"json":{"__proto__":{"at":"2024-03-02T15:00:00.000Z"}}}');
    own.meta = { values: { '__proto__.at': ['Date'] } };
    const revived = deserialize<Record<string, { at: unknown }>>(own);
    expect(Object.getOwnPropertyDescriptor(revived, '__proto__')?.value.at).toEqual(d1);
    expect(Object.hasOwn(Object.prototype, 'at')).toBe(false);
  });
});
