import { afterAll, beforeAll, expect, test } from 'bun:test';
import {
  type PredictionUpdate,
  PredictionUpdateBus,
  type PredictionUpdateEvent,
} from '@f1/core/changes/prediction-updates';
import { silentLogger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { callerFor } from '@f1/testkit/callers';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testServerRedis, testServices } from '@f1/testkit/server';
import { describeWith, needs } from '@f1/testkit/skip';
import type { Services } from '../services.ts';
import { PredictionUpdateHub } from './hub.ts';

// Seasons far from any other test's, so the Redis streams (shared by parallel runs under other
// prefixes only) hold only this file's events for them.
const update = (round: number, model = 'm', season = 2091): PredictionUpdate => ({
  season,
  round,
  kind: 'predictions',
  model,
  version: '1',
  backtest: false,
  at: new Date(0).toISOString(),
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await Bun.sleep(5);
  if (!check()) throw new Error('timed out');
}

test('without Redis the hub relays in-process publications per race, until closed', async () => {
  const bus = new PredictionUpdateBus(null);
  const hub = new PredictionUpdateHub(bus, silentLogger);
  const seen: PredictionUpdateEvent[] = [];
  hub.on(PredictionUpdateHub.eventFor({ season: 2091, round: 5 }), (e: PredictionUpdateEvent) =>
    seen.push(e),
  );
  await hub.start();
  await hub.start();
  await bus.publish([update(5), update(6)]);
  hub.close();
  await bus.publish([update(5)]);
  // Another bus in the same process reaches nobody here.
  await new PredictionUpdateBus(null).publish([update(5)]);
  expect(seen.map((e) => e.update)).toEqual([update(5)]);
  expect(seen[0]?.id).toMatch(/^\d+-\d+$/);
});

for (const backend of ['in-process', 'redis'] as const) {
  describeWith(
    backend === 'redis' ? [needs.redis] : [],
    `predictions.onUpdate [${backend}]`,
    () => {
      let database: TestDatabase;
      let redis: (Redis & { prefix: string }) | null = null;
      const season = backend === 'redis' ? 2092 : 2093;
      beforeAll(async () => {
        database = await freshDatabase('pglite');
        if (backend === 'redis') redis = await testServerRedis();
      }, 60_000);
      afterAll(async () => {
        redis?.disconnect();
        await database.close();
      });

      // One server process: its hub reopens for each client; what it missed is in its bus (or Redis).
      let services: Services;
      beforeAll(() => {
        services = testServices({ database, redis });
      });
      const publish = (updates: PredictionUpdate[]) =>
        services.predictionUpdateBus.publish(updates);
      const subscribe = async (lastEventId?: string) => {
        const controller = new AbortController();
        // The caller's signal is the procedure's: aborting it is the client going away.
        const caller = callerFor(services, null, { signal: controller.signal });
        const stream = await caller.predictions.onUpdate({ season, round: 5, lastEventId });
        const received: { id: string; data: PredictionUpdate }[] = [];
        const event = PredictionUpdateHub.eventFor({ season, round: 5 });
        // Reads in the background; the listener registers once the hub is connected.
        const reading = (async () => {
          try {
            // In-process callers get tRPC's tracked envelope as it was yielded: [id, data, marker].
            for await (const value of stream as AsyncIterable<unknown>) {
              const [id, data] = value as [string, PredictionUpdate];
              received.push({ id, data });
            }
          } catch (error) {
            if (!controller.signal.aborted) throw error;
          }
        })();
        await until(() => services.predictionUpdates.listenerCount(event) > 0);
        return {
          received,
          hub: services.predictionUpdates,
          async stop() {
            controller.abort();
            await reading;
            expect(services.predictionUpdates.listenerCount(event)).toBe(0);
            services.predictionUpdates.close();
          },
        };
      };

      test('yields its race updates with increasing ids, and stops when the client goes', async () => {
        const client = await subscribe();
        await publish([update(6, 'm', season), update(5, 'a', season)]);
        await publish([update(5, 'b', season)]);
        await until(() => client.received.length === 2);
        await client.stop();
        expect(client.received.map((e) => e.data.model)).toEqual(['a', 'b']);
        const [first, second] = client.received.map((e) => e.id);
        expect(first).toMatch(/^\d+-\d+$/);
        expect(second).not.toBe(first);
      });

      test('a client resuming from an id gets what it missed, each once, then live updates', async () => {
        const first = await subscribe();
        await publish([update(5, 'c', season)]);
        await until(() => first.received.length === 1);
        await first.stop();
        const lastSeen = first.received[0]?.id ?? '';

        // Published while the client was away.
        await publish([update(5, 'd', season), update(5, 'e', season)]);
        const resumed = await subscribe(lastSeen);
        await until(() => resumed.received.length === 2);
        // An event the replay already sent arriving live too (published while the replay was read)
        // is sent once.
        const replayed = resumed.received[1];
        resumed.hub.emit(PredictionUpdateHub.eventFor({ season, round: 5 }), {
          id: replayed?.id,
          update: replayed?.data,
        });
        await publish([update(5, 'f', season)]);
        await until(() => resumed.received.length === 3);
        await Bun.sleep(50);
        await resumed.stop();
        expect(resumed.received.map((e) => e.data.model)).toEqual(['d', 'e', 'f']);
      });
    },
  );
}

test('a malformed lastEventId is a BAD_REQUEST naming the field', async () => {
  const database = await freshDatabase('pglite');
  try {
    const services = testServices({ database });
    const caller = callerFor(services);
    const error = await caller.predictions
      .onUpdate({ season: 2024, round: 5, lastEventId: 'yesterday' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String(error)).toContain('lastEventId');
  } finally {
    await database.close();
  }
}, 60_000);

test('a stream closed during its replay stops listening (no signal needed)', async () => {
  const bus = new PredictionUpdateBus(null);
  const hub = new PredictionUpdateHub(bus, silentLogger);
  const race = { season: 2094, round: 1 };
  await bus.publish([update(1, 'x', 2094), update(1, 'y', 2094)]);
  const stream = hub.stream(race, '0-0', undefined);
  expect((await stream.next()).value?.update.model).toBe('x');
  expect(hub.listenerCount(PredictionUpdateHub.eventFor(race))).toBe(1);
  await stream.return(undefined);
  expect(hub.listenerCount(PredictionUpdateHub.eventFor(race))).toBe(0);
  hub.close();
});
