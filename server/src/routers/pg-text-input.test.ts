/**
 * Regression: NUL bytes (and unpaired surrogates) in string inputs reached PostgreSQL, which refused
 * them mid-query → 500. Each case from the report, over tRPC and over REST: a 400 naming the field.
 */
import { beforeAll, expect, test } from 'bun:test';
import { authServices, bearer, uniqueEmail, userWithToken } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { testApp } from '@f1/testkit/server';
import { PG_TEXT_MESSAGE } from '../schemas/text.ts';
import { encodeCursor } from './paging.ts';

const NUL = '\u0000';
type Headers = Record<string, string>;

interface TrpcError {
  error: {
    json: { data: { httpStatus: number; zodError: { fieldErrors: Record<string, string[]> } } };
  };
}
interface RestError {
  code: string;
  issues?: { path: (string | number)[]; message: string }[];
}

const submission = (idempotencyKey: string) => ({
  season: 2024,
  round: 1,
  model: 'probe',
  version: '1',
  idempotencyKey,
  entries: [
    {
      driverId: 'max_verstappen',
      predictedPosition: 1,
      winProbability: 0.5,
      podiumProbability: 0.9,
    },
  ],
});

describeEachBackend('string inputs PostgreSQL cannot hold', (database) => {
  let app: ReturnType<typeof testApp>;
  let admin: Headers;
  let ml: Headers;
  beforeAll(async () => {
    const services = authServices({ database: database() });
    app = testApp(services);
    admin = bearer((await userWithToken(services, 'admin')).token);
    ml = bearer((await userWithToken(services, 'ml_service')).token);
  });

  const send = (path: string, init: { body?: unknown; headers?: Headers } = {}) =>
    app.handle(
      new Request(`http://test.local${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    );

  /** `[status, the messages on field]` of a tRPC call (query when `mutation` is false). */
  async function overTrpc(
    call: { path: string; input: unknown; mutation?: boolean; headers?: Headers },
    field: string,
  ) {
    const wire = { json: call.input };
    const res = call.mutation
      ? await send(`/trpc/${call.path}`, { body: wire, headers: call.headers })
      : await send(`/trpc/${call.path}?input=${encodeURIComponent(JSON.stringify(wire))}`, call);
    const body = (await res.json()) as TrpcError;
    return [res.status, body.error?.json.data.zodError?.fieldErrors[field]];
  }

  /** `[status, code, the messages of issues whose path starts at field]` of a REST call. */
  async function overRest(
    path: string,
    init: { body?: unknown; headers?: Headers },
    field: string,
  ) {
    const res = await send(`/api/v1${path}`, init);
    const body = (await res.json()) as RestError;
    const messages = body.issues?.filter((i) => i.path[0] === field).map((i) => i.message);
    return [res.status, body.code, messages];
  }

  const refused = [400, [PG_TEXT_MESSAGE]];
  const refusedRest = [400, 'BAD_REQUEST', [PG_TEXT_MESSAGE]];

  test('drivers.list search', async () => {
    expect(
      await overTrpc({ path: 'drivers.list', input: { search: `a${NUL}` } }, 'search'),
    ).toEqual(refused);
    expect(await overRest('/drivers?search=%00', {}, 'search')).toEqual(refusedRest);
  });

  test('ratings.history ids', async () => {
    expect(
      await overTrpc({ path: 'ratings.history', input: { driverId: NUL } }, 'driverId'),
    ).toEqual(refused);
    expect(await overRest('/ratings/history?teamId=x%00', {}, 'teamId')).toEqual(refusedRest);
  });

  test('admin.audit action', async () => {
    const call = { path: 'admin.audit', input: { action: `auth.login${NUL}` }, headers: admin };
    expect(await overTrpc(call, 'action')).toEqual(refused);
    expect(await overRest('/admin/audit?action=%00', { headers: admin }, 'action')).toEqual(
      refusedRest,
    );
  });

  test('apiKeys.create name', async () => {
    const call = {
      path: 'apiKeys.create',
      input: { name: `k${NUL}` },
      mutation: true,
      headers: admin,
    };
    expect(await overTrpc(call, 'name')).toEqual(refused);
    expect(
      await overRest('/api-keys', { body: { name: `k${NUL}` }, headers: admin }, 'name'),
    ).toEqual(refusedRest);
  });

  test('auth.register name, NUL or an unpaired surrogate', async () => {
    const input = (name: string) => ({
      email: uniqueEmail(),
      password: 'long enough password',
      name,
    });
    expect(
      await overTrpc({ path: 'auth.register', input: input(NUL), mutation: true }, 'name'),
    ).toEqual(refused);
    expect(await overRest('/auth/register', { body: input('\ud800') }, 'name')).toEqual(
      refusedRest,
    );
    // A well-formed pair (an emoji) is a character like any other.
    expect((await send('/api/v1/auth/register', { body: input('🏎️ Max') })).status).toBe(200);
  });

  test('predictions.submit idempotencyKey', async () => {
    const call = {
      path: 'predictions.submit',
      input: submission(`k${NUL}`),
      mutation: true,
      headers: ml,
    };
    expect(await overTrpc(call, 'idempotencyKey')).toEqual(refused);
    expect(
      await overRest('/predictions', { body: submission(NUL), headers: ml }, 'idempotencyKey'),
    ).toEqual(refusedRest);
  });

  test('a cursor whose key holds a NUL is an invalid cursor, not a query', async () => {
    const cursor = encodeCursor('drivers.list', [NUL, 'a', 'b']);
    expect(await overRest(`/drivers?cursor=${cursor}`, {}, 'cursor')).toEqual([
      400,
      'BAD_REQUEST',
      ['not a cursor of drivers.list; pass a nextCursor from a previous drivers.list call'],
    ]);
  });
});
