/**
 * Regression (fuzz suite, issue 11): ids past PostgreSQL's `integer` range (2^31 and up, which
 * `z.number().int()` accepts) reached the queries and failed them: 500 instead of a 400 naming the
 * field. Covers every input that addresses an `integer` column, on /trpc and on REST.
 */
import { beforeAll, expect, test } from 'bun:test';
import { authServices } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { testApp } from '@f1/testkit/server';
import { issueApiKey } from '../auth/api-keys.ts';
import { encodeCursor } from './paging.ts';

const TOO_BIG = 2 ** 31;

describeEachBackend('ids past the integer range', (database) => {
  let app: ReturnType<typeof testApp>;
  let adminKey: string;
  beforeAll(async () => {
    app = testApp(authServices({ database: database() }));
    adminKey = (await issueApiKey(database().db, { name: 'admin', role: 'admin', createdBy: null }))
      .key;
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(
      new Request(`http://test.local${path}`, {
        method,
        headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, text: await res.text() };
  };
  const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));

  test('tRPC: apiKeys.revoke, admin.users.update/list and admin.audit answer 400 naming the field', async () => {
    const answers = [
      await call('POST', '/trpc/apiKeys.revoke', { json: { id: TOO_BIG } }),
      await call('POST', '/trpc/admin.users.update', { json: { id: TOO_BIG, disabled: true } }),
      await call('GET', `/trpc/admin.users.list?input=${input({ cursor: TOO_BIG })}`),
      await call('GET', `/trpc/admin.audit?input=${input({ userId: TOO_BIG })}`),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    for (const [answer, field] of answers.map(
      (a, i) => [a, ['id', 'id', 'cursor', 'userId'][i]] as const,
    ))
      expect(
        JSON.parse(answer.text).error.json.data.zodError.fieldErrors[field ?? ''],
      ).toHaveLength(1);
  });

  test('REST: DELETE /api-keys/{id} and PATCH /admin/users/{id} answer 400', async () => {
    const revoke = await call('DELETE', `/api/v1/api-keys/${TOO_BIG}`);
    const update = await call('PATCH', `/api/v1/admin/users/${TOO_BIG}`, { disabled: true });
    expect([revoke.status, update.status]).toEqual([400, 400]);
    expect(JSON.parse(revoke.text).issues[0].path).toEqual(['id']);
  });

  test('a drivers.results cursor holding numbers past the range is an invalid cursor (400)', async () => {
    const cursor = encodeCursor('drivers.results', [TOO_BIG, 1, 1]);
    const res = await call(
      'GET',
      `/trpc/drivers.results?input=${input({ driverId: 'x', cursor })}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('not a cursor of drivers.results');
  });
});
