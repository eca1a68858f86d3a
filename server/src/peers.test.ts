import { expect, test } from 'bun:test';
import {
  type CacheTag,
  InvalidationBus,
  PEER_INVALIDATION_CHANNEL,
} from '@f1/core/changes/invalidation';
import {
  PEER_PREDICTION_UPDATES_CHANNEL,
  type PredictionUpdate,
  PredictionUpdateBus,
} from '@f1/core/changes/prediction-updates';
import { type Logger, silentLogger } from '@f1/core/logger';
import { listenToPeers } from './peers.ts';

/** A database's `listen` that the test drives: `send(channel, payload)` delivers a notification. */
function fakeListen() {
  const channels = new Map<string, Set<(payload: string) => void>>();
  return {
    listen: async (channel: string, onPayload: (payload: string) => void) => {
      const set = channels.get(channel) ?? new Set();
      channels.set(channel, set.add(onPayload));
      return () => void set.delete(onPayload);
    },
    send: (channel: string, payload: string) => {
      for (const listener of channels.get(channel) ?? []) listener(payload);
    },
  };
}

const update: PredictionUpdate = {
  season: 2024,
  round: 5,
  kind: 'predictions',
  model: 'elo-baseline',
  version: '1',
  backtest: true,
  at: '2024-04-20T10:00:00.000Z',
};

test("another process's invalidations and prediction updates reach this server's buses", async () => {
  const peers = fakeListen();
  const invalidation = new InvalidationBus(null);
  const predictionUpdates = new PredictionUpdateBus(null);
  const heard: CacheTag[][] = [];
  const events: PredictionUpdate[] = [];
  invalidation.onInvalidate((tags) => heard.push(tags));
  predictionUpdates.onLocal((u) => events.push(u));
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
  const stop = await listenToPeers(peers.listen, { invalidation, predictionUpdates }, logger);

  peers.send(PEER_INVALIDATION_CHANNEL, '["race:2024:5","drivers"]');
  peers.send(PEER_PREDICTION_UPDATES_CHANNEL, JSON.stringify([update]));
  await Bun.sleep(0);
  expect(heard).toEqual([['race:2024:5', 'drivers']]);
  expect(events).toEqual([update]);
  // Kept for SSE clients that resume.
  expect((await predictionUpdates.since(update, '0-0')).map((e) => e.update)).toEqual([update]);

  peers.send(PEER_INVALIDATION_CHANNEL, '{"not":"tags"}');
  peers.send(PEER_PREDICTION_UPDATES_CHANNEL, '[{"season":"x"}]');
  expect(warnings).toHaveLength(2);

  stop();
  peers.send(PEER_INVALIDATION_CHANNEL, '["teams"]');
  expect(heard).toHaveLength(1);
});
