/**
 * Everything a request handler may use, built once at start-up (see main.ts) or per test.
 *
 * It is a class so that the tRPC context can carry it as `unknown` and the base procedure can narrow it
 * with `instanceof`: the public `AppRouter` type (and so the SDK's .d.ts) then never mentions Kysely,
 * ioredis or any other server internals (trpc/trpc#5004).
 */
import type { Config } from '@f1/db/config';
import type { Database } from '@f1/db/connect';
import { type CacheOptions, CacheServices } from './cache/cache-services.ts';
import type { Logger } from './logger.ts';
import { PredictionUpdateHub } from './predictions/hub.ts';
import type { Redis } from './redis.ts';

export interface ServicesInit {
  config: Config;
  database: Database;
  /** null when no Redis is configured: in-process stand-ins are used (one server process only). */
  redis: Redis | null;
  logger: Logger;
  /** Both caches are on by default. */
  cache?: CacheOptions;
}

export class Services {
  readonly config: Config;
  readonly database: Database;
  readonly redis: Redis | null;
  readonly logger: Logger;
  /** Query cache, response cache and the invalidation subscriber (see cache/cache-services.ts). */
  readonly cache: CacheServices;
  /** Prediction/accuracy change events for SSE subscriptions (connects lazily). */
  readonly predictionUpdates: PredictionUpdateHub;

  constructor(init: ServicesInit) {
    this.config = init.config;
    this.database = init.database;
    this.redis = init.redis;
    this.logger = init.logger;
    this.cache = new CacheServices(init.redis, init.logger, init.cache);
    this.predictionUpdates = new PredictionUpdateHub(init.redis, init.logger);
  }

  get db() {
    return this.database.db;
  }
}
