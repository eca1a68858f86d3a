import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testServices } from '@f1/testkit/server';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { z } from 'zod';
import { createContextInner, type Principal } from './context.ts';
import {
  adminProcedure,
  authedProcedure,
  createCallerFactory,
  type Meta,
  publicProcedure,
  router,
  serviceProcedure,
} from './init.ts';

const probe = router({
  open: publicProcedure.query(() => 'open'),
  mine: authedProcedure.query(({ ctx }) => `user ${ctx.principal.id}`),
  submit: serviceProcedure.mutation(({ ctx }) => `service ${ctx.principal.id}`),
  manage: adminProcedure.mutation(() => 'admin'),
  echo: publicProcedure
    .input(z.object({ season: z.number().int().min(1950) }))
    .query(({ input }) => input.season),
});
const createCaller = createCallerFactory(probe);

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase('pglite');
});
afterAll(() => database.close());

const as = (principal: Principal | null) =>
  createCaller(createContextInner({ services: testServices({ database }), principal }));
const user: Principal = { kind: 'user', id: 1, role: 'user', sessionId: 's' };
const ml: Principal = { kind: 'api_key', id: 2, role: 'ml_service' };
const admin: Principal = { kind: 'user', id: 3, role: 'admin', sessionId: 't' };

async function code(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('procedure ladder', () => {
  test.each([
    ['open', null, 'OK'],
    ['mine', null, 'UNAUTHORIZED'],
    ['mine', user, 'OK'],
    ['submit', null, 'UNAUTHORIZED'],
    ['submit', user, 'FORBIDDEN'],
    ['submit', ml, 'OK'],
    ['submit', admin, 'OK'],
    ['manage', user, 'FORBIDDEN'],
    ['manage', ml, 'FORBIDDEN'],
    ['manage', admin, 'OK'],
  ] as const)('%s as %j → %s', async (procedure, principal, expected) => {
    const caller = as(principal);
    const call = {
      open: () => caller.open(),
      mine: () => caller.mine(),
      submit: () => caller.submit(),
      manage: () => caller.manage(),
    }[procedure];
    expect(await code(call)).toBe(expected);
  });

  test('narrows the principal for downstream code', async () => {
    expect(await as(user).mine()).toBe('user 1');
    expect(await as(ml).submit()).toBe('service 2');
  });

  test('refuses to run without server services', async () => {
    const caller = createCaller(createContextInner({ services: { not: 'services' } }));
    expect(await code(() => caller.open())).toBe('INTERNAL_SERVER_ERROR');
  });

  test('meta records the access level of each rung', () => {
    const access = Object.fromEntries(
      Object.entries(probe._def.procedures).map(([name, p]) => [
        name,
        (p._def as { meta?: Meta }).meta?.access,
      ]),
    );
    expect(access).toEqual({
      open: 'public',
      mine: 'user',
      submit: 'ml_service',
      manage: 'admin',
      echo: 'public',
    });
  });
});

describe('error formatting over HTTP', () => {
  test('bad input is a 400 BAD_REQUEST with the flattened zod error naming the field, and no stack', async () => {
    const res = await fetchRequestHandler({
      endpoint: '/trpc',
      router: probe,
      req: new Request(
        `http://x/trpc/echo?input=${encodeURIComponent(JSON.stringify({ json: { season: 1900 } }))}`,
      ),
      createContext: () => createContextInner({ services: testServices({ database }) }),
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.error.json.data.code).toBe('BAD_REQUEST');
    expect(body.error.json.data.zodError.fieldErrors.season[0]).toMatch(/>=1950/);
    expect(text).not.toContain('stack');
  });

  test('input that is not JSON or not superjson is a clean 400, without engine or library text', async () => {
    const send = (input: string) =>
      fetchRequestHandler({
        endpoint: '/trpc',
        router: probe,
        req: new Request(`http://x/trpc/echo?input=${encodeURIComponent(input)}`),
        createContext: () => createContextInner({ services: testServices({ database }) }),
      });
    const cases: [string, string][] = [
      // Regression: answered `undefined is not an object (evaluating 'object[key]')`.
      [
        JSON.stringify({ json: {}, meta: { referentialEqualities: { 'a.b': ['c.d'] } } }),
        'the input is not valid superjson: its meta does not match its json',
      ],
      [
        JSON.stringify({ json: { a: 1 }, meta: { values: { a: [['class', 'Foo']] } } }),
        'the input is not valid superjson: its meta does not match its json',
      ],
      ['{"json":', 'the input is not valid JSON'],
    ];
    for (const [input, message] of cases) {
      const res = await send(input);
      const text = await res.text();
      expect([res.status, JSON.parse(text).error.json.message]).toEqual([400, message]);
      for (const internal of ['evaluating', 'JSON Parse', 'https:', 'superjson/issues', 'stack'])
        expect(text).not.toContain(internal);
    }
  });

  test('a message tRPC copied from an engine error is replaced; our own messages are kept', async () => {
    const failing = router({
      engine: publicProcedure.query(() => {
        throw new TRPCError({ code: 'BAD_REQUEST', cause: new TypeError('x is not a function') });
      }),
      ours: publicProcedure.query(() => {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'season out of range' });
      }),
    });
    const messages: string[] = [];
    for (const path of ['engine', 'ours']) {
      const res = await fetchRequestHandler({
        endpoint: '/trpc',
        router: failing,
        req: new Request(`http://x/trpc/${path}`),
        createContext: () => createContextInner({ services: testServices({ database }) }),
      });
      messages.push(
        ((await res.json()) as { error: { json: { message: string } } }).error.json.message,
      );
    }
    expect(messages).toEqual(['the input could not be read', 'season out of range']);
  });
});
