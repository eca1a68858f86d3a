import { describe, expect, test } from 'bun:test';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { inputShape, restInput } from './rest-input.ts';

const schema = z
  .strictObject({
    season: z.number().int(),
    round: z.number().int().optional(),
    backtest: z.boolean().default(false),
    codes: z.array(z.string()).optional(),
    rounds: z.array(z.number()).optional(),
    name: z.string().optional(),
  })
  .optional();

const fromQuery = (query: string, pathParams: Record<string, string> = {}) =>
  restInput({ schemas: [schema], pathParams, query: new URLSearchParams(query), usesBody: false });

describe('restInput', () => {
  test('converts path and query strings to the declared types', () => {
    expect(fromQuery('round=3&backtest=true&name=42', { season: '2024' })).toEqual({
      season: 2024,
      round: 3,
      backtest: true,
      name: '42',
    });
    expect(fromQuery('backtest=false')).toEqual({ backtest: false });
  });

  test('repeated keys become arrays, converted element by element', () => {
    expect(fromQuery('codes=VER&codes=NOR&rounds=1&rounds=2')).toEqual({
      codes: ['VER', 'NOR'],
      rounds: [1, 2],
    });
    expect(fromQuery('codes=VER')).toEqual({ codes: ['VER'] });
  });

  test('what is not a clean number or boolean stays a string, for validation to report', () => {
    expect(fromQuery('round=3x&backtest=no&season=')).toEqual({
      round: '3x',
      backtest: 'no',
      season: '',
    });
    expect(schema.safeParse(fromQuery('round=3x')).success).toBe(false);
  });

  test('an undeclared query key is a BAD_REQUEST naming it, strict schema or not', () => {
    const rejected = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (!(error instanceof TRPCError) || !(error.cause instanceof z.ZodError)) throw error;
        return [error.code, error.message, error.cause.issues[0]?.code];
      }
      return 'accepted';
    };
    expect(rejected(() => fromQuery('season=2024&colour=red'))).toEqual([
      'BAD_REQUEST',
      'unknown query parameter: "colour"',
      'unrecognized_keys',
    ]);
    const lax = z.object({ season: z.number() });
    const laxQuery = (query: string) =>
      restInput({
        schemas: [lax],
        pathParams: {},
        query: new URLSearchParams(query),
        usesBody: false,
      });
    expect(rejected(() => laxQuery('season=1&a=1&b=2'))[1]).toBe(
      'unknown query parameters: "a", "b"',
    );
    const none = (query: string) =>
      restInput({
        schemas: [],
        pathParams: {},
        query: new URLSearchParams(query),
        usesBody: false,
      });
    expect(rejected(() => none('a=1'))[1]).toBe('unknown query parameter: "a"');
  });

  test('keys named after Object.prototype members are plain unknown keys (regression: 500)', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      expect(() => fromQuery(`${key}=1`)).toThrow(`unknown query parameter: "${key}"`);
    }
    // A JSON body's own `__proto__` key stays a key (not the input's prototype) for validation to see.
    const input = restInput({
      schemas: [schema],
      pathParams: {},
      query: new URLSearchParams(),
      body: JSON.parse('{"season":1,"__proto__":{"round":5}}'),
      usesBody: true,
    });
    expect(Object.getPrototypeOf(input)).toBeNull();
    expect((input as { round?: unknown }).round).toBeUndefined();
    expect(schema.safeParse(input).error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['__proto__'],
    });
  });

  test('bodies are taken as sent, with path parameters on top', () => {
    const body = { season: '2024', backtest: 'false' };
    expect(
      restInput({
        schemas: [schema],
        pathParams: { round: '4' },
        query: new URLSearchParams('season=1'),
        body,
        usesBody: true,
      }),
    ).toEqual({ season: '2024', backtest: 'false', round: 4 });
    expect(
      restInput({
        schemas: [schema],
        pathParams: {},
        query: new URLSearchParams(),
        body: 5,
        usesBody: true,
      }),
    ).toBe(5);
  });

  test('procedures without an object input', () => {
    expect(inputShape(undefined)).toBeNull();
    expect(inputShape(z.string())).toBeNull();
    expect(
      restInput({
        schemas: [],
        pathParams: {},
        query: new URLSearchParams(),
        usesBody: false,
      }),
    ).toBeUndefined();
    expect(
      restInput({
        schemas: [z.array(z.number())],
        pathParams: {},
        query: new URLSearchParams(),
        body: [1],
        usesBody: true,
      }),
    ).toEqual([1]);
  });
});
