/**
 * Everything a request handler may use, built once at start-up (see main.ts) or per test.
 *
 * It is a class so that the tRPC context can carry it as `unknown` and the base procedure can narrow it
 * with `instanceof`: the public `AppRouter` type (and so the SDK's .d.ts) then never mentions Kysely,
 * ioredis or any other server internals (trpc/trpc#5004).
 */
import type { DataChanges } from '@f1/core/changes/data-changes';
import type { InvalidationBus } from '@f1/core/changes/invalidation';
import type { ProcessPeers } from '@f1/core/changes/peer-messages';
import type { PredictionUpdateBus } from '@f1/core/changes/prediction-updates';
import type { Config } from '@f1/core/config';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import type { Database } from '@f1/db/connection/connect';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { AccessTokens } from './auth/access-tokens.ts';
import { ApiKeyCache } from './auth/api-key-cache.ts';
import { MemorySessionStore } from './auth/memory-session-store.ts';
import { RedisSessionStore } from './auth/redis-session-store.ts';
import type { SessionStore } from './auth/session-store.ts';
import { type CacheOptions, CacheServices } from './cache/cache-services.ts';
import { CountingRateLimiter } from './metrics/counting-limiter.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';
import { PredictionUpdateHub } from './predictions/hub.ts';
import type { RateLimiter, RateLimitPolicy } from './rate-limit/limiter.ts';
import { MemoryRateLimiter } from './rate-limit/memory-limiter.ts';
import {
  type RateLimitPolicies,
  type RateLimitPolicyName,
  rateLimitPolicies,
} from './rate-limit/policies.ts';
import { RedisRateLimiter } from './rate-limit/redis-limiter.ts';

export interface ServicesInit {
  config: Config;
  database: Database;
  /**
   * null when no Redis is configured: in-process stand-ins are used for sessions and rate limits (per
   * process), and invalidations travel over the database (`peers`).
   */
  redis: Redis | null;
  logger: Logger;
  /** Both caches are on by default. */
  cache?: CacheOptions;
  /**
   * Without Redis, where this process's invalidations and prediction updates also go: the other
   * servers on the same PostgreSQL (main.ts: `peersOver`). Null or absent: this process only.
   */
  peers?: ProcessPeers | null;
  /** Adjusts named rate-limit policies (tests use tiny limits). */
  rateLimitOverrides?: Partial<Record<RateLimitPolicyName, Partial<RateLimitPolicy>>>;
}

export class Services {
  readonly config: Config;
  readonly database: Database;
  readonly redis: Redis | null;
  readonly logger: Logger;
  /** This process's invalidation bus: the caches listen on it, `changes` publishes on it. */
  readonly invalidation: InvalidationBus;
  /** This process's prediction-update bus: `changes` publishes on it, the hub relays it. */
  readonly predictionUpdateBus: PredictionUpdateBus;
  /** Where every writer in this process reports what it changed (see `createDataChanges`). */
  readonly changes: DataChanges;
  /** Query cache, response cache and the invalidation subscriber (see cache/cache-services.ts). */
  readonly cache: CacheServices;
  /** Prediction/accuracy change events for SSE subscriptions (connects lazily). */
  readonly predictionUpdates: PredictionUpdateHub;
  /** Sessions and refresh-token families (Redis, or in-process without it). */
  readonly sessions: SessionStore;
  readonly accessTokens: AccessTokens;
  /** API keys verified in the last F1_API_KEY_CACHE_SECONDS (auth/api-key-cache.ts). */
  readonly apiKeyCache: ApiKeyCache;
  /** The limiter every entry point shares; see `rate-limit/limiter.ts` for use outside tRPC. */
  readonly rateLimiter: RateLimiter;
  readonly rateLimitPolicies: RateLimitPolicies;
  /** Prometheus metrics (GET /metrics); null when F1_METRICS_TOKEN is unset: nothing is counted. */
  readonly metrics: ServerMetrics | null;

  constructor(init: ServicesInit) {
    this.config = init.config;
    this.database = init.database;
    this.redis = init.redis;
    this.logger = init.logger;
    // The database is read on use, like `db` below: building the services never touches it.
    const database = init.database;
    const changes = createProcessChanges({
      get db() {
        return database.db;
      },
      logger: init.logger,
      redis: init.redis,
      peers: init.redis ? null : (init.peers ?? null),
    });
    this.invalidation = changes.invalidation;
    this.predictionUpdateBus = changes.predictionUpdates;
    this.changes = changes.changes;
    this.cache = new CacheServices(changes.invalidation, init.logger, init.cache);
    this.predictionUpdates = new PredictionUpdateHub(changes.predictionUpdates, init.logger);
    const sessionTtl = init.config.jwt.refreshTokenDays * 86_400;
    this.sessions = init.redis
      ? new RedisSessionStore(init.redis, sessionTtl)
      : new MemorySessionStore(sessionTtl);
    this.accessTokens = new AccessTokens(init.config.jwt);
    this.apiKeyCache = new ApiKeyCache(init.config.apiKeyCacheSeconds);
    const limiter = init.redis
      ? new RedisRateLimiter(init.redis, init.logger)
      : new MemoryRateLimiter();
    this.metrics = init.config.metricsToken
      ? new ServerMetrics({
          database: init.database,
          redis: init.redis,
          cache: this.cache,
          lockName: init.config.jobs.lockName,
          logger: init.logger,
        })
      : null;
    this.rateLimiter = this.metrics ? new CountingRateLimiter(limiter, this.metrics) : limiter;
    this.rateLimitPolicies = rateLimitPolicies(init.config, init.rateLimitOverrides);
  }

  get db() {
    return this.database.db;
  }
}
