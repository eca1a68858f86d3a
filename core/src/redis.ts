/**
 * Redis connections. Commands fail fast instead of queueing while Redis is down (no offline queue,
 * one retry), so callers that fail open (cache reads) answer from the database within milliseconds.
 * Every Lua script a process runs is registered when the connection is made, before its first
 * command (see redis-scripts.ts for why that matters with auto-pipelining): core's own (the
 * prediction-update publisher, which servers and jobs both call) and the sets the caller passes.
 */
import { Redis } from 'ioredis';
import { UPDATE_SCRIPTS } from './changes/prediction-update-scripts.ts';
import { type ScriptSet, scriptRegistrations } from './redis-scripts.ts';

export type { Redis };

export interface RedisOptions {
  keyPrefix?: string;
  /**
   * Send the commands issued in one event-loop tick as one write (ioredis auto-pipelining): under
   * concurrent requests, far fewer syscalls per cache read. Order per connection is unchanged.
   */
  autoPipelining?: boolean;
  /** Script sets beyond core's own (which every connection gets): the server's, the jobs' pacer. */
  scripts?: readonly ScriptSet[];
}

const CORE_SCRIPTS: readonly ScriptSet[] = [UPDATE_SCRIPTS];

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    keyPrefix: options.keyPrefix,
    enableAutoPipelining: options.autoPipelining ?? false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    // Reconnect with a capped backoff forever: Redis coming back must heal the server without a restart.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    scripts: scriptRegistrations([...CORE_SCRIPTS, ...(options.scripts ?? [])]),
  });
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
