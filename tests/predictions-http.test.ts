/**
 * predictions.submit over HTTP with real authentication: API keys (X-API-Key) through tRPC and through
 * the REST bridge. Roles, error statuses and bodies (field errors), freeze, idempotent retries, and the
 * submitter recorded as the key.
 */
import { beforeAll, expect, test } from 'bun:test';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { authServices } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, FIELD, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { jsonBody } from '@f1/testkit/http';
import { testApp, testClient } from '@f1/testkit/server';

const submission = (round: number, extra: Record<string, unknown> = {}) => ({
  season: MINI_SEASON,
  round,
  model: 'http-model',
  version: '1',
  entries: entriesFor(),
  ...extra,
});

describeEachBackend('predictions over HTTP with API keys', (database) => {
  let app: ReturnType<typeof testApp>;
  let mlKey: string;
  let mlKeyId: number;
  let userKey: string;
  beforeAll(async () => {
    await seedPredictionRaces(database().db);
    app = testApp(authServices({ database: database() }));
    const ml = await issueApiKey(database().db, {
      name: 'ml',
      role: 'ml_service',
      createdBy: null,
    });
    mlKey = ml.key;
    mlKeyId = ml.apiKey.id;
    userKey = (await issueApiKey(database().db, { name: 'reader', role: 'user', createdBy: null }))
      .key;
  });
  const client = (key?: string) =>
    testClient(app, { headers: key ? { 'x-api-key': key } : {}, batch: false });

  test('an ml_service key submits; a user key is 403; no key is 401', async () => {
    const created = await client(mlKey).predictions.submit.mutate(submission(3));
    expect(created).toMatchObject({ status: 'created', round: 3, stage: 'pre_qualifying' });
    const row = await database()
      .db.selectFrom('prediction_sets')
      .select('submitted_by')
      .where('id', '=', created.setId)
      .executeTakeFirstOrThrow();
    expect(row.submitted_by).toBe(`key:${mlKeyId}`);
    const asUser = await errorOf(() => client(userKey).predictions.submit.mutate(submission(3)));
    expect(asUser.httpStatus).toBe(403);
    const anonymous = await errorOf(() => client().predictions.submit.mutate(submission(3)));
    expect(anonymous.httpStatus).toBe(401);
  });

  test('a broken rule is a 400 whose field errors name the field; a frozen race is 412', async () => {
    const wrong = entriesFor(['driver_a', 'driver_b', 'driver_c', 'nobody']);
    const bad = await errorOf(() =>
      client(mlKey).predictions.submit.mutate(submission(4, { entries: wrong })),
    );
    expect(bad.httpStatus).toBe(400);
    expect(bad.message).toContain(
      "entries[3].driverId: driver 'nobody' is not entered in this race",
    );
    expect(bad.fieldErrors?.entries?.length).toBe(2);
    const frozen = await errorOf(() => client(mlKey).predictions.submit.mutate(submission(2)));
    expect([frozen.httpStatus, frozen.code]).toEqual([412, 'PRECONDITION_FAILED']);
  });

  test('REST: POST /api/v1/predictions with X-API-Key; a retry with the same idempotency key is unchanged', async () => {
    const body = submission(4, {
      model: 'rest-model',
      idempotencyKey: 'rest-1',
      entries: entriesFor([...FIELD].reverse()),
    });
    const post = () =>
      app.handle(
        new Request('http://test.local/api/v1/predictions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': mlKey },
          body: JSON.stringify(body),
        }),
      );
    const first = await post();
    expect(first.status).toBe(200);
    const created = await jsonBody<{ status: string; setId: number; stage: string }>(first);
    expect(created).toMatchObject({ status: 'created', stage: 'post_qualifying' });
    const again = await jsonBody<{ status: string; setId: number }>(await post());
    expect(again).toMatchObject({ status: 'unchanged', setId: created.setId });
  });
});
