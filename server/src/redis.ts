/**
 * The server's Redis connections: core's connection with every Lua script the server runs registered
 * up front (cache, sessions, rate limiter; core adds the prediction-update publisher).
 */
import { createRedis, type Redis, type RedisOptions } from '@f1/core/redis';
import type { ScriptSet } from '@f1/core/redis-scripts';
import { SESSION_SCRIPTS } from './auth/session-scripts.ts';
import { CACHE_SCRIPTS } from './cache/scripts.ts';
import { LIMITER_SCRIPTS } from './rate-limit/sliding-window-script.ts';

export const SERVER_SCRIPTS: readonly ScriptSet[] = [
  CACHE_SCRIPTS,
  SESSION_SCRIPTS,
  LIMITER_SCRIPTS,
];

export function createServerRedis(url: string, options: RedisOptions = {}): Redis {
  return createRedis(url, { ...options, scripts: [...SERVER_SCRIPTS, ...(options.scripts ?? [])] });
}
