import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TAG_VERSION_PREFIX } from '@f1/core/changes/invalidation';
import { type PredictionUpdate, parsePredictionEvent } from '@f1/core/changes/prediction-updates';
import type { Redis } from '@f1/core/redis';
import { describeEachBackend } from '@f1/testkit/backends';
import { apiKeyPrincipal, callerFor, userPrincipal } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, FIELD, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { testRedisUrl } from '@f1/testkit/redis';
import { testServerRedis, testServices } from '@f1/testkit/server';
import { z } from 'zod';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';

const ml = apiKeyPrincipal(7);
const user = userPrincipal(1);

const submission = (round: number, extra: Record<string, unknown> = {}) => ({
  season: MINI_SEASON,
  round,
  model: 'router-model',
  version: '1.0',
  entries: entriesFor(),
  ...extra,
});

describeEachBackend('predictions router', (database) => {
  let redis: (Redis & { prefix: string }) | null = null;
  // One server process for the suite: its pipeline publishes on the bus the tests listen to.
  let services: Services | undefined;
  const shared = () => {
    services ??= testServices({ database: database(), redis });
    return services;
  };
  const caller = (principal: Principal | null) => callerFor(shared(), principal);

  beforeAll(async () => {
    await seedPredictionRaces(database().db);
    if (testRedisUrl()) redis = await testServerRedis();
  });
  afterAll(() => redis?.disconnect());

  test('submit needs the ml_service role', async () => {
    expect((await errorOf(() => caller(null).predictions.submit(submission(3)))).code).toBe(
      'UNAUTHORIZED',
    );
    expect((await errorOf(() => caller(user).predictions.submit(submission(3)))).code).toBe(
      'FORBIDDEN',
    );
  });

  test('schema violations and rule violations are 400s naming the field', async () => {
    const schema = await errorOf(() =>
      caller(ml).predictions.submit(
        submission(3, {
          entries: entriesFor().map((e, i) => (i === 2 ? { ...e, winProbability: 1.5 } : e)),
        }),
      ),
    );
    expect(schema.code).toBe('BAD_REQUEST');
    expect(schema.cause).toBeInstanceOf(z.ZodError);
    expect((schema.cause as z.ZodError).issues[0]?.path).toEqual(['entries', 2, 'winProbability']);

    const rule = await errorOf(() =>
      caller(ml).predictions.submit(
        submission(3, {
          entries: entriesFor().map((e, i) => (i === 0 ? { ...e, podiumProbability: 0.3 } : e)),
        }),
      ),
    );
    expect(rule.code).toBe('BAD_REQUEST');
    expect(rule.message).toBe(
      "entries[0].podiumProbability: must be at least winProbability (0.3 < 0.4) for driver 'driver_a'",
    );
    expect((rule.cause as z.ZodError).issues.map((i) => i.path)).toEqual([
      ['entries', 0, 'podiumProbability'],
    ]);

    const bulk = await errorOf(() =>
      caller(ml).predictions.submitBulk({
        sets: [submission(3), submission(4, { entries: entriesFor().slice(0, 3) })],
      }),
    );
    expect(bulk.code).toBe('BAD_REQUEST');
    expect(bulk.message).toContain(
      "sets[1].entries: one entry per entered driver is required; missing: 'driver_d'",
    );
  });

  test('frozen races answer PRECONDITION_FAILED, unknown races NOT_FOUND, built-in names FORBIDDEN', async () => {
    expect((await errorOf(() => caller(ml).predictions.submit(submission(1)))).code).toBe(
      'PRECONDITION_FAILED',
    );
    expect((await errorOf(() => caller(ml).predictions.submit(submission(42)))).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (
        await errorOf(() =>
          caller(ml).predictions.submit(submission(3, { model: 'grid-baseline' })),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const conflict = await errorOf(async () => {
      await caller(ml).predictions.submit(
        submission(3, { model: 'conflict', idempotencyKey: 'x' }),
      );
      await caller(ml).predictions.submit(
        submission(4, { model: 'conflict', idempotencyKey: 'x' }),
      );
    });
    expect(conflict.code).toBe('CONFLICT');
  });

  test('submit stores, invalidates the race cache tag and publishes an update; a retry does neither', async () => {
    const seen: PredictionUpdate[] = [];
    const subscriber = redis?.duplicate();
    if (subscriber && redis) {
      await new Promise((resolve) => subscriber.once('ready', resolve));
      await subscriber.subscribe(`${redis.prefix}f1:prediction-updates`);
      subscriber.on('message', (_channel, message: string) => {
        const event = parsePredictionEvent(message);
        if (event) seen.push(event.update);
      });
    }
    const off = shared().predictionUpdateBus.onLocal((u) => seen.push(u));
    const tag = `${TAG_VERSION_PREFIX}predictions:${MINI_SEASON}:3`;
    const before = Number((await redis?.get(tag)) ?? 0);

    const first = await caller(ml).predictions.submit(submission(3, { idempotencyKey: 'retry-1' }));
    const retry = await caller(ml).predictions.submit(submission(3, { idempotencyKey: 'retry-1' }));
    await Bun.sleep(100);
    off();
    subscriber?.disconnect();

    expect(first).toMatchObject({
      status: 'created',
      season: MINI_SEASON,
      round: 3,
      stage: 'pre_qualifying',
    });
    expect(retry).toEqual({ ...first, status: 'unchanged' });
    expect(seen.map((u) => [u.kind, u.season, u.round, u.model])).toEqual([
      ['predictions', MINI_SEASON, 3, 'router-model'],
    ]);
    if (redis) expect(Number(await redis.get(tag))).toBe(before + 1);

    const listed = await caller(null).predictions.list({
      season: MINI_SEASON,
      round: 3,
      model: 'router-model',
    });
    expect(listed.sets).toHaveLength(1);
    expect(listed.sets[0]?.entries.map((e) => [e.driverId, e.predictedPosition])).toEqual([
      ['driver_a', 1],
      ['driver_b', 2],
      ['driver_c', 3],
      ['driver_d', 4],
    ]);
  });

  test('list is cached, and a submission for the race makes the next read fresh', async () => {
    const read = () =>
      caller(null).predictions.list({ season: MINI_SEASON, round: 4, model: 'cache-check' });
    expect((await read()).sets).toEqual([]);
    expect((await read()).sets).toEqual([]);
    await caller(ml).predictions.submit(
      submission(4, { model: 'cache-check', entries: entriesFor([...FIELD].reverse()) }),
    );
    expect((await read()).sets.map((s) => s.model)).toEqual(['cache-check']);
  });

  test('submitBulk counts what it did', async () => {
    const sets = [
      submission(3, { model: 'bulk-r' }),
      submission(1, { model: 'bulk-r', backtest: true }),
    ];
    expect(await caller(ml).predictions.submitBulk({ sets })).toMatchObject({
      created: 2,
      replaced: 0,
      unchanged: 0,
    });
    const next = await caller(ml).predictions.submitBulk({
      sets: [
        ...sets,
        submission(4, { model: 'bulk-r', entries: entriesFor([...FIELD].reverse()) }),
      ].map((s, i) => (i === 0 ? { ...s, entries: entriesFor(FIELD, 0.05) } : s)),
    });
    expect(next).toMatchObject({ created: 1, replaced: 1, unchanged: 1 });
  });

  test('list: NOT_FOUND for an unknown race; models lists who predicted', async () => {
    expect(
      (await errorOf(() => caller(null).predictions.list({ season: 1999, round: 1 }))).code,
    ).toBe('NOT_FOUND');
    const models = await caller(null).predictions.models();
    expect(models.map((m) => m.model)).toEqual([
      'bulk-r',
      'cache-check',
      'conflict',
      'router-model',
    ]);
  });
});
