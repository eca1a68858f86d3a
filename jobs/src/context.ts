/**
 * What a job needs, opened from the configuration: the database (migrated to the latest schema, so the
 * CLI works on a fresh embedded database too), Redis when configured, a logger, and the process's one
 * data-change pipeline, which every job reports its writes to (with Redis its invalidations and
 * events reach every server process; without, they reach the servers listening on the database:
 * the embedded database's owner, or every server on the same PostgreSQL).
 */
import { newPeerOrigin } from '@f1/core/changes/peer-messages';
import type { Config } from '@f1/core/config';
import { createLogger, type Logger } from '@f1/core/logger';
import { createRedis, type Redis, waitForRedis } from '@f1/core/redis';
import { connect, type Database } from '@f1/db/connection/connect';
import { peersOver } from '@f1/db/connection/notify';
import { migrateToLatest } from '@f1/db/migrator';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import type { DomainContext } from '@f1/domain/context';
import { PACER_SCRIPTS } from './sources/http/shared-pacer.ts';

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
      // Without Redis, the servers on the database (the embedded one's owner, or every server on
      // PostgreSQL) hear our changes over it.
      peers: redis === null ? peersOver(database, newPeerOrigin()) : null,
    }).changes,
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
