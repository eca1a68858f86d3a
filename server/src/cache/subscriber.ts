/**
 * Listens on the invalidation channel and replays other processes' invalidations to this process's
 * in-process caches (the process's invalidation bus). `live` is true only while the subscription is up: in-process caches
 * must not be trusted while invalidations could be missed, and everything they hold is dropped whenever
 * the subscription comes back (`onResubscribed`), since messages sent meanwhile are lost.
 */

import {
  type CacheTag,
  type InvalidationBus,
  invalidationChannel,
} from '@f1/core/changes/invalidation';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';

export class InvalidationSubscriber {
  #connection: Redis | null = null;
  #live = false;

  constructor(
    private readonly redis: Redis,
    private readonly bus: InvalidationBus,
    private readonly logger: Logger,
    private readonly onResubscribed: () => void,
  ) {}

  get live(): boolean {
    return this.#live;
  }

  /** Opens the subscriber connection; resolves once subscribed, or after `timeoutMs` (keeps trying). */
  start(timeoutMs = 2_000): Promise<void> {
    if (this.#connection) return Promise.resolve();
    const channel = invalidationChannel(this.redis);
    const connection = this.redis.duplicate({ autoResubscribe: false });
    this.#connection = connection;
    connection.on('error', () => {
      // Connection errors are reported by /health and the cache's own warnings; reconnects are automatic.
    });
    connection.on('message', (from, message) => {
      if (from !== channel) return;
      const tags = parseTags(message);
      if (tags) this.bus.deliverLocally(tags);
      else this.logger.warn('ignored a malformed invalidation message', { channel });
    });
    connection.on('close', () => {
      this.#live = false;
    });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      connection.on('ready', () => {
        connection.subscribe(channel).then(
          () => {
            this.#live = true;
            this.onResubscribed();
            clearTimeout(timer);
            resolve();
          },
          (error: unknown) =>
            this.logger.warn('could not subscribe to cache invalidations', {
              error: error instanceof Error ? error.message : String(error),
            }),
        );
      });
    });
  }

  close(): void {
    this.#live = false;
    this.#connection?.disconnect();
    this.#connection = null;
  }
}

function parseTags(message: string): CacheTag[] | null {
  try {
    const parsed: unknown = JSON.parse(message);
    if (Array.isArray(parsed) && parsed.every((t) => typeof t === 'string'))
      return parsed as CacheTag[];
  } catch {
    // fall through
  }
  return null;
}
