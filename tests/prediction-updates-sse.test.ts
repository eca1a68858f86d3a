/**
 * predictions.onUpdate over SSE, end to end: a client subscribed to one race through the app (tRPC's
 * httpSubscriptionLink with the `eventsource` client over app.handle) receives the update published
 * when ANOTHER PROCESS submits predictions for that race, via Redis pub/sub — and nothing for other
 * races; and a client resuming from an event id is first sent what it missed. Needs real PostgreSQL
 * (shared by both processes) and Redis.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import type { PredictionUpdate } from '@f1/core/changes/prediction-updates';
import type { Redis } from '@f1/core/redis';
import { PredictionUpdateHub } from '@f1/server/predictions/hub';
import type { Services } from '@f1/server/services';
import type { AppRouter } from '@f1/server/trpc/router';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { inProcessFetch, testApp, testServerRedis, testServices } from '@f1/testkit/server';
import { describeWith, needs } from '@f1/testkit/skip';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await Bun.sleep(20);
  }
}

/** A tRPC client whose subscriptions run over SSE (the `eventsource` client) through `fetch`. */
const sseClient = (fetch: unknown) =>
  createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: 'http://test.local/trpc',
        transformer: superjson,
        EventSource,
        eventSourceOptions: { fetch: fetch as never },
      }),
    ],
  });

describeWith([needs.postgres, needs.redis], 'predictions.onUpdate across processes', () => {
  let database: TestDatabase;
  let redis: Redis & { prefix: string };
  let services: Services;
  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await seedPredictionRaces(database.db);
    redis = await testServerRedis();
    services = testServices({ database, redis });
  }, 60_000);
  afterAll(async () => {
    services.predictionUpdates.close();
    redis.disconnect();
    await database.close();
  });

  test('a subscriber receives the update another process publishes, for its race only', async () => {
    const app = testApp(services);
    const client = sseClient(inProcessFetch(app));
    const received: { id: string; data: PredictionUpdate }[] = [];
    const subscription = client.predictions.onUpdate.subscribe(
      { season: MINI_SEASON, round: 3 },
      { onData: (event) => received.push(event) },
    );
    const event = PredictionUpdateHub.eventFor({ season: MINI_SEASON, round: 3 });
    await until(() => services.predictionUpdates.listenerCount(event) > 0);

    const child = Bun.spawn(
      ['bun', path.join(import.meta.dir, 'fixtures/submit-from-another-process.ts')],
      {
        env: {
          ...process.env,
          DB_URL: database.url ?? '',
          REDIS_URL: testRedisUrl() ?? '',
          REDIS_PREFIX: redis.prefix,
        },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    );
    expect(await child.exited).toBe(0);
    expect((await new Response(child.stdout).text()).trim()).toBe('["created","created"]');

    await until(() => received.length > 0);
    await Bun.sleep(200);
    subscription.unsubscribe();
    expect(received.map(({ data: u }) => [u.kind, u.season, u.round, u.model, u.backtest])).toEqual(
      [['predictions', MINI_SEASON, 3, 'remote-model', false]],
    );
    await until(() => services.predictionUpdates.listenerCount(event) === 0);

    // A client that was away resumes from the last id it saw (here: from the start of the stream)
    // and is sent what it missed, over SSE, before any live event.
    const missed: { id: string; data: PredictionUpdate }[] = [];
    const resumed = client.predictions.onUpdate.subscribe(
      { season: MINI_SEASON, round: 3, lastEventId: '0-0' },
      { onData: (update) => missed.push(update) },
    );
    await until(() => missed.length > 0);
    await Bun.sleep(200);
    resumed.unsubscribe();
    expect(missed).toEqual(received);
    expect(received[0]?.id).toMatch(/^\d+-\d+$/);
  }, 30_000);

  test('a dropped connection reconnects by itself and is first sent what it missed', async () => {
    const app = testApp(services);
    const handle = inProcessFetch(app) as unknown as (
      url: string,
      init?: RequestInit,
    ) => Promise<Response>;
    const requests: { url: string; lastEventId: string | null }[] = [];
    const connection: { cut: (() => void) | null } = { cut: null };
    // Serves the app in-process; `cut()` ends the current SSE response as a dropped connection would.
    const fetchWithCut = async (url: string, init?: RequestInit) => {
      const response = await handle(url, init);
      requests.push({ url, lastEventId: new Headers(init?.headers).get('last-event-id') });
      const reader = response.body?.getReader();
      if (!reader) return response;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          connection.cut = () => {
            void reader.cancel();
            controller.close();
          };
        },
        async pull(controller) {
          const { done, value } = await reader
            .read()
            .catch(() => ({ done: true, value: undefined }));
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = sseClient(fetchWithCut);
    const race = { season: MINI_SEASON, round: 4 };
    const event = PredictionUpdateHub.eventFor(race);
    const update = (model: string): PredictionUpdate => ({
      ...race,
      kind: 'accuracy',
      model,
      version: '1',
      backtest: false,
      at: new Date().toISOString(),
    });
    const received: { id: string; data: PredictionUpdate }[] = [];
    const subscription = client.predictions.onUpdate.subscribe(race, {
      onData: (e) => received.push(e),
    });
    await until(() => services.predictionUpdates.listenerCount(event) > 0);
    await services.predictionUpdateBus.publish([update('before')]);
    await until(() => received.length === 1);

    connection.cut?.();
    await until(() => services.predictionUpdates.listenerCount(event) === 0);
    await services.predictionUpdateBus.publish([update('while-away-1'), update('while-away-2')]);
    await until(() => services.predictionUpdates.listenerCount(event) > 0, 15_000);
    await until(() => received.length === 3);
    await services.predictionUpdateBus.publish([update('after')]);
    await until(() => received.length === 4);
    await Bun.sleep(200);
    subscription.unsubscribe();

    expect(received.map((e) => e.data.model)).toEqual([
      'before',
      'while-away-1',
      'while-away-2',
      'after',
    ]);
    // The reconnect carried the last id seen, as the Last-Event-ID header or in the input.
    const resumedFrom = received[0]?.id ?? '';
    const second = requests[1];
    expect(
      second?.lastEventId === resumedFrom ||
        decodeURIComponent(second?.url ?? '').includes(resumedFrom),
    ).toBe(true);
  }, 30_000);
});
