import { expect, test } from 'bun:test';
import { freshDatabase } from '@f1/db/testing';
import { silentLogger } from '../logger.ts';
import { testServices } from '../testing.ts';
import { createContextInner } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { PredictionUpdateHub } from './hub.ts';
import { type PredictionUpdate, publishPredictionUpdates } from './updates.ts';

const update = (round: number): PredictionUpdate => ({
  season: 2024,
  round,
  kind: 'predictions',
  model: 'm',
  version: '1',
  backtest: false,
  at: new Date(0).toISOString(),
});

test('without Redis the hub relays in-process publications per race, until closed', async () => {
  const hub = new PredictionUpdateHub(null, silentLogger);
  const seen: PredictionUpdate[] = [];
  hub.on(PredictionUpdateHub.eventFor({ season: 2024, round: 5 }), (u: PredictionUpdate) =>
    seen.push(u),
  );
  await hub.start();
  await hub.start();
  await publishPredictionUpdates(null, [update(5), update(6)]);
  hub.close();
  await publishPredictionUpdates(null, [update(5)]);
  expect(seen).toEqual([update(5)]);
});

test('the onUpdate subscription yields its race updates and stops when the client goes', async () => {
  const database = await freshDatabase('pglite');
  try {
    const services = testServices({ database });
    const caller = createCallerFactory(appRouter)(createContextInner({ services }));
    const stream = await caller.predictions.onUpdate({ season: 2024, round: 5 });
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    // The generator registers its listener once the hub is connected: wait for it before publishing.
    const event = PredictionUpdateHub.eventFor(update(5));
    for (let i = 0; i < 200 && services.predictionUpdates.listenerCount(event) === 0; i++) {
      await Bun.sleep(5);
    }
    await publishPredictionUpdates(null, [update(6), update(5)]);
    expect((await next).value).toEqual(update(5));
    await iterator.return?.();
    expect(services.predictionUpdates.listenerCount(event)).toBe(0);
    services.predictionUpdates.close();
  } finally {
    await database.close();
  }
}, 60_000);
