import { expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PEER_INVALIDATION_CHANNEL } from '@f1/core/changes/invalidation';
import { readPeerMessage } from '@f1/core/changes/peer-messages';
import { PEER_PREDICTION_UPDATES_CHANNEL } from '@f1/core/changes/prediction-updates';
import { loadConfig } from '@f1/core/config';
import { silentLogger } from '@f1/core/logger';
import { connectPostgres, type Database, openSharedPglite } from '@f1/db/connection/connect';
import { QueryCache } from '@f1/server/cache/query-cache';
import { RedisStore } from '@f1/server/cache/redis-store';
import { freshDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { testServerRedis } from '@f1/testkit/server';
import { describeWith, needs } from '@f1/testkit/skip';
import { openJobContext } from './context.ts';
import { SharedPacer } from './sources/http/shared-pacer.ts';

describeWith([needs.redis, needs.postgres], 'openJobContext', () => {
  test("a job's invalidation reaches a server that uses F1_REDIS_KEY_PREFIX", async () => {
    const database = await freshDatabase('postgres');
    const serverRedis = await testServerRedis();
    const cache = new QueryCache(new RedisStore(serverRedis), silentLogger);
    const spec = {
      key: 'standings.drivers:{"season":2024}',
      tags: ['standings:2024'] as const,
      ttl: 60,
    };
    const context = await openJobContext(
      loadConfig({
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: testRedisUrl() ?? '',
        F1_REDIS_KEY_PREFIX: serverRedis.prefix,
      }),
      { logger: silentLogger },
    );
    try {
      expect(await cache.get(spec, async () => 'before')).toBe('before');
      expect(await cache.get(spec, async () => 'after')).toBe('before');
      // The job's pipeline publishes on its Redis, under the server's prefix.
      await context.changes.changed([{ kind: 'schedule', seasons: [2024] }]);
      expect(await cache.get(spec, async () => 'after')).toBe('after');
    } finally {
      await context.close();
      serverRedis.disconnect();
      await database.close();
    }
  });

  // Scripts are never defined late on a connection (see core/src/redis-scripts.ts): the job's Redis
  // must be made with the pacer's, or the shared pacer refuses it.
  test("a job's Redis runs the shared pacer's scripts", async () => {
    const database = await freshDatabase('postgres');
    const prefix = `f1t:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`;
    const context = await openJobContext(
      loadConfig({
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: testRedisUrl() ?? '',
        F1_REDIS_KEY_PREFIX: prefix,
      }),
      { logger: silentLogger },
    );
    try {
      const redis = context.redis;
      if (!redis) throw new Error('the job context has no Redis');
      const pacer = new SharedPacer(redis, { name: 'context', perSecond: 1000, perHour: 5 });
      await pacer.acquire();
      await pacer.acquire();
      // Reserved in Redis by the script, not by the in-process fallback.
      expect(await redis.zcard('f1:pacer:context:sent')).toBe(2);
    } finally {
      await context.close();
      await database.close();
    }
  });
});

/** Opens a job context without Redis on `config`, reports a change, returns what `listener` heard. */
async function peerMessagesOf(listener: Database, env: Record<string, string>) {
  const messages: [string, string][] = [];
  const listen = listener.listen;
  if (!listen) throw new Error('the listener must offer listen');
  for (const channel of [PEER_INVALIDATION_CHANNEL, PEER_PREDICTION_UPDATES_CHANNEL])
    await listen(channel, (payload) => messages.push([channel, payload]));
  const context = await openJobContext(loadConfig(env), { logger: silentLogger });
  try {
    expect(context.redis).toBeNull();
    const set = { season: 2024, round: 5, model: 'm', version: '1', backtest: true };
    await context.changes.changed([{ kind: 'predictions', sets: [set] }]);
    for (let i = 0; i < 250 && messages.length < 2; i++) await Bun.sleep(20);
  } finally {
    await context.close();
  }
  expect(messages.map(([channel]) => channel).sort()).toEqual(
    [PEER_INVALIDATION_CHANNEL, PEER_PREDICTION_UPDATES_CHANNEL].sort(),
  );
  const payload = messages.find(([c]) => c === PEER_INVALIDATION_CHANNEL)?.[1] ?? '';
  const { origin, message } = readPeerMessage(payload);
  expect(origin).toMatch(/^[0-9a-f]{16}$/);
  expect(message).toBe('["predictions:2024:5"]');
  // One origin for the process: both channels carry the same.
  const other = messages.find(([c]) => c === PEER_PREDICTION_UPDATES_CHANNEL)?.[1] ?? '';
  expect(readPeerMessage(other).origin).toBe(origin);
}

test("without Redis, a job beside the embedded database's owner sends it its changes", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'f1-job-peers-'));
  const owner = await openSharedPglite(path.join(dataDir, 'pglite'));
  try {
    await peerMessagesOf(owner, { F1_DATA_DIR: dataDir });
  } finally {
    await owner.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

describeWith([needs.postgres], 'openJobContext on PostgreSQL without Redis', () => {
  test('a job sends its changes to the servers listening on the database', async () => {
    const database = await freshDatabase('postgres');
    const listener = connectPostgres(database.url ?? '', 1);
    try {
      await peerMessagesOf(listener, { F1_DATABASE_URL: database.url ?? '' });
    } finally {
      await listener.close();
      await database.close();
    }
  });
});
