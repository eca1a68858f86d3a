/**
 * The caches one server process owns: the query cache (Redis, or in-process without Redis), the
 * response cache in front of tRPC, and the subscriber that brings other processes' invalidations in,
 * all listening on the process's invalidation bus (the one its data-change pipeline publishes on).
 * `start()` subscribes (main.ts calls it); `close()` releases everything.
 */

import type { InvalidationBus } from '@f1/core/changes/invalidation';
import type { Logger } from '@f1/core/logger';
import { MemoryStore } from './memory-store.ts';
import { QueryCache } from './query-cache.ts';
import { RedisStore } from './redis-store.ts';
import { ResponseCache } from './response-cache.ts';
import { InvalidationSubscriber } from './subscriber.ts';

/** Both caches are on unless turned off (benchmarks measure the paths without them). */
export interface CacheOptions {
  queryCache?: boolean;
  responseCache?: boolean;
}

export class CacheServices {
  readonly query: QueryCache;
  readonly responses: ResponseCache;
  readonly subscriber: InvalidationSubscriber | null;
  readonly #unsubscribe: () => void;
  readonly #memory: MemoryStore | null;

  constructor(bus: InvalidationBus, logger: Logger, options: CacheOptions = {}) {
    const redis = bus.redis;
    if (redis) {
      this.#memory = null;
      this.query = new QueryCache(new RedisStore(redis), logger, options.queryCache !== false);
    } else {
      this.#memory = new MemoryStore(bus);
      this.query = new QueryCache(this.#memory, logger, options.queryCache !== false);
    }
    let subscriber: InvalidationSubscriber | null = null;
    this.responses = new ResponseCache(redis, logger, () => subscriber?.live ?? false, {
      enabled: options.responseCache !== false,
    });
    if (redis)
      subscriber = new InvalidationSubscriber(redis, bus, logger, () => this.responses.clear());
    this.subscriber = subscriber;
    this.#unsubscribe = bus.onInvalidate((tags) => this.responses.drop(tags));
  }

  /** Subscribes to other processes' invalidations (no-op without Redis). */
  async start(): Promise<void> {
    await this.subscriber?.start();
  }

  /**
   * Forgets what this process holds (the response cache's L1, the in-process query cache): for when
   * invalidations from other processes may have been missed (the connection that hears them was lost).
   */
  forgetLocal(): void {
    this.responses.clear();
    this.#memory?.clear();
  }

  close(): void {
    this.#unsubscribe();
    this.subscriber?.close();
    this.#memory?.close();
    this.responses.clear();
  }
}
