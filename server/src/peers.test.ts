import { afterAll, beforeAll, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangedRace } from '@f1/core/changes/data-changes';
import {
  type CacheTag,
  InvalidationBus,
  PEER_INVALIDATION_CHANNEL,
} from '@f1/core/changes/invalidation';
import {
  framePeerMessage,
  NOTIFY_PAYLOAD_LIMIT_BYTES,
  newPeerOrigin,
} from '@f1/core/changes/peer-messages';
import {
  PEER_PREDICTION_UPDATES_CHANNEL,
  type PredictionUpdate,
  PredictionUpdateBus,
} from '@f1/core/changes/prediction-updates';
import { type Logger, silentLogger } from '@f1/core/logger';
import { connectPostgres, type Database } from '@f1/db/connection/connect';
import { peersOver } from '@f1/db/connection/notify';
import { tagsOf } from '@f1/domain/changes/tags';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { describeWith, needs, skipSuite } from '@f1/testkit/skip';
import { until } from '@f1/testkit/wait';
import { listenToPeers } from './peers.ts';

/** A database's `listen` that the test drives: `send(channel, payload)` delivers a notification. */
function fakeListen() {
  const channels = new Map<string, Set<(payload: string) => void>>();
  const self = {
    reconnects: [] as (() => void)[],
    listen: async (
      channel: string,
      onPayload: (payload: string) => void,
      onReconnect?: () => void,
    ) => {
      const set = channels.get(channel) ?? new Set();
      channels.set(channel, set.add(onPayload));
      if (onReconnect) self.reconnects.push(onReconnect);
      return () => void set.delete(onPayload);
    },
    send: (channel: string, payload: string) => {
      for (const listener of channels.get(channel) ?? []) listener(payload);
    },
  };
  return self;
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

test("its own messages are skipped, others' delivered once and never sent on, and a lost connection clears the caches", async () => {
  const peers = fakeListen();
  const sent: string[] = [];
  const publisher = { publish: async (m: string) => void sent.push(m) };
  // A server on PostgreSQL: its buses publish to the peers too.
  const invalidation = new InvalidationBus(null, publisher);
  const predictionUpdates = new PredictionUpdateBus(null, publisher);
  const heard: CacheTag[][] = [];
  const events: PredictionUpdate[] = [];
  invalidation.onInvalidate((tags) => heard.push(tags));
  predictionUpdates.onLocal((u) => events.push(u));
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
  const origin = newPeerOrigin();
  let cleared = 0;
  await listenToPeers(peers.listen, { invalidation, predictionUpdates }, logger, {
    origin,
    onReconnect: () => cleared++,
  });

  peers.send(PEER_INVALIDATION_CHANNEL, framePeerMessage(origin, '["teams"]'));
  peers.send(PEER_PREDICTION_UPDATES_CHANNEL, framePeerMessage(origin, JSON.stringify([update])));
  expect(heard).toEqual([]);
  expect(events).toEqual([]);

  const other = newPeerOrigin();
  peers.send(PEER_INVALIDATION_CHANNEL, framePeerMessage(other, '["drivers"]'));
  peers.send(PEER_PREDICTION_UPDATES_CHANNEL, framePeerMessage(other, JSON.stringify([update])));
  expect(heard).toEqual([['drivers']]);
  expect(events).toEqual([update]);
  // Delivered here only: sending them on would echo between two servers forever.
  expect(sent).toEqual([]);
  expect(warnings).toEqual([]);

  // One callback for the shared connection, not one per channel.
  expect(peers.reconnects).toHaveLength(1);
  peers.reconnects[0]?.();
  expect(cleared).toBe(1);
  expect(warnings).toHaveLength(1);
});

/** Every race of the shared export (1950–2024: 1,125), as a full import reports them. */
function exportRaces(dir: string): ChangedRace[] {
  const lines = readFileSync(path.join(dir, 'ergast-csv', 'races.csv'), 'utf8')
    .trim()
    .split('\n');
  return lines.slice(1).map((line) => {
    const [raceId = '', year = '', round = ''] = line.split(',');
    return { raceId: Number(raceId), season: Number(year), round: Number(round) };
  });
}

const sharedData = findSharedDataDir();
if (!sharedData) skipSuite('peers over PostgreSQL, a full import', SHARED_DATA_MISSING);
else
  describeWith([needs.postgres], 'peers over PostgreSQL, a full import', () => {
    let testDb: TestDatabase;
    let cli: Database;
    let server: Database;
    beforeAll(async () => {
      testDb = await freshDatabase('postgres');
      cli = connectPostgres(testDb.url ?? '', 1);
      server = connectPostgres(testDb.url ?? '', 1);
    });
    afterAll(async () => {
      await cli?.close();
      await server?.close();
      await testDb?.close();
    });

    test("a 1950–2024 import's tags reach a server whole, in payloads PostgreSQL accepts", async () => {
      const races = exportRaces(sharedData);
      const seasons = [...new Set(races.map((r) => r.season))];
      expect(races).toHaveLength(1_125);
      expect(seasons).toHaveLength(75);
      // The worst case of a full import: every race's results and timing, every season's schedule.
      const tags = tagsOf([
        { kind: 'results', races },
        { kind: 'timing', races },
        { kind: 'schedule', seasons },
      ]);
      const payloadBytes = Buffer.byteLength(JSON.stringify(tags));
      expect(payloadBytes).toBeGreaterThan(NOTIFY_PAYLOAD_LIMIT_BYTES);

      const invalidation = new InvalidationBus(null);
      const heard: CacheTag[] = [];
      invalidation.onInvalidate((t) => heard.push(...t));
      const listen = server.listen;
      if (!listen) throw new Error('a PostgreSQL database must offer listen');
      const stop = await listenToPeers(
        listen,
        { invalidation, predictionUpdates: new PredictionUpdateBus(null) },
        silentLogger,
        { origin: newPeerOrigin() },
      );
      const sent: string[] = [];
      const over = peersOver(cli, newPeerOrigin());
      const cliBus = new InvalidationBus(null, {
        publish: async (message) => {
          sent.push(message);
          await over.invalidation.publish(message);
        },
      });
      await cliBus.invalidate(tags);
      await until(async () => heard.length >= tags.length, 10_000);
      stop();
      expect(heard.sort()).toEqual([...tags].sort());
      const largest = Math.max(...sent.map((m) => Buffer.byteLength(m)));
      console.log(
        `a 1950–2024 import: ${tags.length} tags, ${payloadBytes} bytes as one array, ${sent.length} notifications of at most ${largest} bytes`,
      );
      expect(largest).toBeLessThan(NOTIFY_PAYLOAD_LIMIT_BYTES - 100);
    });
  });
