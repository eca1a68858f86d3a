/**
 * The refresh-then-retry rule, against the real tRPC server stack: a probe router built with the
 * server's own procedure ladder, served by the fetch adapter in-process, that accepts one token.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createContextInner } from '@f1/server/trpc/context';
import { authedProcedure, publicProcedure, router } from '@f1/server/trpc/init';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testServices } from '@f1/testkit/server';
import { createTRPCClient, httpBatchLink, type TRPCLink } from '@trpc/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { Credentials, type CredentialsInit, refreshLink } from './credentials.ts';
import { errorDetails } from './errors.ts';

const probe = router({
  me: authedProcedure.query(({ ctx }) => ctx.principal.id),
  open: publicProcedure.query(() => 'open'),
});
type Probe = typeof probe;

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase('pglite');
}, 30_000);
afterAll(() => database.close());

/** A client whose server accepts only `Bearer <valid>`; counts requests and refreshes. */
function setup(valid: string, init: CredentialsInit) {
  const seen = { requests: 0, refreshes: 0, authorization: [] as (string | null)[] };
  const credentials = new Credentials({
    ...init,
    ...(init.refresh
      ? {
          refresh: () => {
            seen.refreshes += 1;
            return init.refresh?.() ?? Promise.resolve(null);
          },
        }
      : {}),
  });
  const fetchImpl = async (input: unknown, options?: RequestInit) => {
    const req = new Request(String(input), options);
    seen.requests += 1;
    seen.authorization.push(req.headers.get('authorization'));
    return fetchRequestHandler({
      endpoint: '/trpc',
      req,
      router: probe,
      createContext: () =>
        createContextInner({
          services: testServices({ database }),
          principal:
            req.headers.get('authorization') === `Bearer ${valid}`
              ? { kind: 'user', id: 7, role: 'user', sessionId: 's' }
              : null,
        }),
    });
  };
  const links: TRPCLink<Probe>[] = [
    refreshLink(credentials),
    httpBatchLink({
      url: 'http://probe.local/trpc',
      transformer: superjson,
      headers: () => credentials.headers(),
      fetch: fetchImpl as unknown as NonNullable<Parameters<typeof httpBatchLink>[0]['fetch']>,
    }),
  ];
  return { client: createTRPCClient<Probe>({ links }), seen };
}

describe('refreshLink', () => {
  test('an expired token is refreshed once and the call retried with the new token', async () => {
    const { client, seen } = setup('fresh', {
      token: 'stale',
      refresh: async () => 'fresh',
    });
    expect(await client.me.query()).toBe(7);
    expect(seen.refreshes).toBe(1);
    expect(seen.authorization).toEqual(['Bearer stale', 'Bearer fresh']);
    // Later calls use the refreshed token straight away.
    expect(await client.me.query()).toBe(7);
    expect(seen.authorization.at(-1)).toBe('Bearer fresh');
    expect(seen.refreshes).toBe(1);
  });

  test('calls failing together share one refresh', async () => {
    const { client, seen } = setup('fresh', { token: 'stale', refresh: async () => 'fresh' });
    const results = await Promise.all([client.me.query(), client.me.query(), client.me.query()]);
    expect(results).toEqual([7, 7, 7]);
    expect(seen.refreshes).toBe(1);
  });

  test('a refresh that yields nothing surfaces the original UNAUTHORIZED error', async () => {
    const { client, seen } = setup('fresh', { token: 'stale', refresh: async () => null });
    const error = await client.me.query().catch((e: unknown) => e);
    expect(errorDetails(error)).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(seen.refreshes).toBe(1);
  });

  test('a refresh hook that throws counts as no token', async () => {
    const { client } = setup('fresh', {
      token: 'stale',
      refresh: () => Promise.reject(new Error('refresh endpoint down')),
    });
    const error = await client.me.query().catch((e: unknown) => e);
    expect(errorDetails(error).code).toBe('UNAUTHORIZED');
  });

  test('a call is retried at most once: a refreshed token that is still refused fails', async () => {
    const { client, seen } = setup('other', { token: 'stale', refresh: async () => 'also-bad' });
    const error = await client.me.query().catch((e: unknown) => e);
    expect(errorDetails(error).code).toBe('UNAUTHORIZED');
    expect(seen.requests).toBe(2);
    expect(seen.refreshes).toBe(1);
  });

  test('without a refresh hook nothing is retried', async () => {
    const { client, seen } = setup('fresh', { token: 'stale' });
    expect(errorDetails(await client.me.query().catch((e: unknown) => e)).code).toBe(
      'UNAUTHORIZED',
    );
    expect(seen.requests).toBe(1);
  });

  test('public calls and other errors are not retried', async () => {
    const { client, seen } = setup('fresh', { refresh: async () => 'fresh' });
    expect(await client.open.query()).toBe('open');
    expect(seen.refreshes).toBe(0);
  });
});

describe('Credentials', () => {
  test('sends the bearer token, the API key and extra headers', async () => {
    const credentials = new Credentials({
      token: async () => 'tok',
      apiKey: 'f1k_abc',
      headers: { 'x-request-id': 'r1' },
    });
    expect(await credentials.headers()).toEqual({
      'x-request-id': 'r1',
      authorization: 'Bearer tok',
      'x-api-key': 'f1k_abc',
    });
  });

  test('a token function returning nothing sends no authorization header', async () => {
    const credentials = new Credentials({ token: () => undefined, headers: () => undefined });
    expect(await credentials.headers()).toEqual({});
    expect(await credentials.refresh()).toBeNull();
  });
});
