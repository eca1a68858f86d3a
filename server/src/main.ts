/**
 * `bun run start`: read the configuration, open the database (PostgreSQL, or the embedded PGlite when
 * none is configured), apply pending migrations, connect Redis if configured, then serve on F1_PORT.
 * SIGINT/SIGTERM stop accepting connections and close the database and Redis.
 */
import { ConfigError, getConfig } from '@f1/db/config';
import { connect } from '@f1/db/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { createApp } from './app.ts';
import { MAX_REQUEST_BODY_BYTES } from './http/body-limit.ts';
import { createLogger } from './logger.ts';
import { createRedis } from './redis.ts';
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

  const database = await connect(config.database);
  logger.info(
    config.database.kind === 'pglite'
      ? `database: embedded PostgreSQL (PGlite) in ${config.database.dataDir}`
      : 'database: PostgreSQL',
  );
  const applied = await migrateToLatest(database.db);
  if (applied.length)
    logger.info(`applied ${applied.length} migration(s)`, { migrations: applied });

  const redis = config.redis
    ? createRedis(config.redis.url, { keyPrefix: config.redis.keyPrefix, autoPipelining: true })
    : null;
  if (redis) redis.on('error', (error) => logger.warn('redis error', { error: error.message }));
  else
    logger.warn(
      'redis: not configured; cache, sessions and rate limiting are in-process (one server process only)',
    );

  const services = new Services({ config, database, redis, logger });
  await services.cache.start();
  // Bun's own body cap is the outer bound; the routes enforce their smaller limits while reading.
  const app = createApp(services).listen({
    hostname: config.host,
    port: config.port,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
  });
  logger.info(`listening on http://${config.host}:${app.server?.port ?? config.port}`);

  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await app.stop();
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
  else console.error(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
