/**
 * What a job needs, opened from the configuration: the database (migrated to the latest schema, so the
 * CLI works on a fresh embedded database too), Redis when configured, a logger, and the process's one
 * data-change pipeline, which every job reports its writes to (with Redis its invalidations and
 * events reach every server process; without, its invalidations reach the server that owns the
 * embedded database, over that database).
 */
import { PEER_INVALIDATION_CHANNEL } from '@f1/core/changes/invalidation';
import type { ProcessPeers } from '@f1/core/changes/peer-messages';
import { PEER_PREDICTION_UPDATES_CHANNEL } from '@f1/core/changes/prediction-updates';
import type { Config } from '@f1/core/config';
import { createLogger, type Logger } from '@f1/core/logger';
import { createRedis, type Redis, waitForRedis } from '@f1/core/redis';
import { connect, type Database } from '@f1/db/connection/connect';
import { notify } from '@f1/db/connection/notify';
import { migrateToLatest } from '@f1/db/migrator';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import type { DomainContext } from '@f1/domain/context';
import { PACER_SCRIPTS } from './sources/http/shared-pacer.ts';

/** Messages to the server that owns the embedded database, as notifications on its session. */
function peersOver(database: Database): ProcessPeers {
  const over = (channel: string) => ({
    publish: (message: string) => notify(database.db, channel, message),
  });
  return {
    invalidation: over(PEER_INVALIDATION_CHANNEL),
    predictionUpdates: over(PEER_PREDICTION_UPDATES_CHANNEL),
  };
}

export interface JobContext extends DomainContext {
  config: Config;
  /** null without Redis. */
  redis: Redis | null;
  database: Database;
  close(): Promise<void>;
}

export async function openJobContext(
  config: Config,
  options: { logger?: Logger } = {},
): Promise<JobContext> {
  const logger =
    options.logger ??
    createLogger({ level: config.logLevel, json: config.environment === 'production' });
  const database = await connect(config.database);
  let redis: Redis | null = null;
  try {
    await migrateToLatest(database.db);
    if (config.redis) {
      // The server's prefix too: invalidations and locks must land on the keys the server reads.
      redis = createRedis(config.redis.url, {
        keyPrefix: config.redis.keyPrefix,
        scripts: [PACER_SCRIPTS],
      });
      await waitForRedis(redis, 5_000);
    }
  } catch (error) {
    redis?.disconnect();
    await database.close();
    throw error;
  }
  return {
    config,
    database,
    db: database.db,
    redis,
    logger,
    changes: createProcessChanges({
      db: database.db,
      logger,
      redis,
      // Without Redis, a server that owns the embedded database hears our changes over it.
      peers: redis === null && config.database.kind === 'pglite' ? peersOver(database) : null,
    }).changes,
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
