/**
 * `bun run start`: read the configuration, open the database (PostgreSQL, or the embedded PGlite when
 * none is configured), apply pending migrations, connect Redis if configured, then serve on F1_PORT
 * and sweep for derived data an ingest left pending or unscored (at start-up, then every 10 minutes).
 * SIGINT/SIGTERM stop accepting connections and close the database and Redis. Once serving, an
 * exception from a library callback or an unhandled rejection is logged and the process keeps serving.
 */

import { newPeerOrigin } from '@f1/core/changes/peer-messages';
import { ConfigError, getConfig } from '@f1/core/config';
import { createLogger } from '@f1/core/logger';
import { printableError } from '@f1/core/printable-message';
import { connect } from '@f1/db/connection/connect';
import { peersOver } from '@f1/db/connection/notify';
import { migrateToLatest } from '@f1/db/migrator';
import { SWEEP_INTERVAL_MS, startAccuracyRecovery } from '@f1/domain/accuracy/recovery';
import { recoverDerived } from '@f1/domain/changes/recovery';
import { createApp } from './app.ts';
import { flushRefusals } from './audit/refusals.ts';
import { dataHealth, describeData } from './health.ts';
import { MAX_REQUEST_BODY_BYTES } from './http/body-limit.ts';
import { listenToPeers } from './peers.ts';
import { guardProcess } from './process-guard.ts';
import { createServerRedis } from './redis.ts';
import { Services } from './services.ts';

async function main(): Promise<void> {
  const config = getConfig();
  const logger = createLogger({
    level: config.logLevel,
    json: config.environment === 'production',
  });
  if (config.jwt.ephemeral) {
    logger.warn(
      'F1_JWT_SECRET_KEY is not set: using a random secret; tokens will not survive a restart',
    );
  }

  // The server must own an embedded data directory: CLIs and the scheduler then share it through us.
  const database = await connect(config.database, {
    requireOwner: true,
    onDown: (error) =>
      logger.warn('database unreachable: answering 503 until it is back', {
        error: error instanceof Error ? error.message : String(error),
      }),
    onUp: (downMs) =>
      logger.info('database reachable again', { downSeconds: Math.round(downMs / 100) / 10 }),
  });
  logger.info(
    config.database.kind === 'pglite'
      ? `database: embedded PostgreSQL (PGlite) in ${config.database.dataDir}; CLIs share it through this process`
      : 'database: PostgreSQL',
  );
  const applied = await migrateToLatest(database.db);
  if (applied.length)
    logger.info(`applied ${applied.length} migration(s)`, { migrations: applied });

  const redis = config.redis
    ? createServerRedis(config.redis.url, {
        keyPrefix: config.redis.keyPrefix,
        autoPipelining: true,
      })
    : null;
  if (redis) redis.on('error', (error) => logger.warn('redis error', { error: error.message }));
  else
    logger.warn(
      'redis: not configured; sessions and rate limiting are per process, cache invalidations travel over the database',
    );

  // Without Redis, changes travel over the database: the CLIs, the scheduler and (on PostgreSQL) the
  // other server processes send theirs as notifications, and so do we on PostgreSQL (an embedded
  // database has one server, this one). Our own come back to us and are skipped by origin.
  const origin = newPeerOrigin();
  const peers = !redis && database.kind === 'postgres' ? peersOver(database, origin) : null;
  const services = new Services({ config, database, redis, logger, peers });
  await services.cache.start();
  if (!redis && database.listen) {
    const buses = {
      invalidation: services.invalidation,
      predictionUpdates: services.predictionUpdateBus,
    };
    await listenToPeers(database.listen, buses, logger, {
      origin,
      onReconnect: () => services.cache.forgetLocal(),
    });
  }
  // Bun's own body cap is the outer bound; the routes enforce their smaller limits while reading.
  const app = createApp(services).listen({
    hostname: config.host,
    port: config.port,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
  });
  // From here on a fault outside any request is logged, not fatal (see process-guard.ts).
  guardProcess(logger);
  logger.info(`listening on http://${config.host}:${app.server?.port ?? config.port}`);
  // A fresh database answers empty lists and 404s: say so once, with the command that loads data.
  const data = describeData(await dataHealth(services));
  logger[data.level](data.line);
  // What an ingest killed between its commit and its follow-ups left undone (standings, ratings,
  // accuracy, caches) is completed now and on every sweep.
  const stopAccuracySweep = startAccuracyRecovery(services, SWEEP_INTERVAL_MS, recoverDerived);

  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    stopAccuracySweep();
    await app.stop();
    await flushRefusals(services); // the last second's coalesced refusal rows
    services.cache.close();
    services.predictionUpdates.close();
    redis?.disconnect();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // A configuration error is one line naming the variable; anything else gets its message, not a stack.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`start-up failed: ${printableError(error)}`);
  process.exit(1);
});
