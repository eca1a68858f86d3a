/**
 * Test Redis connections: the real Redis the suite runs against (F1_TEST_REDIS_URL), each connection
 * under a key prefix of its own so test files never see each other's keys and nothing needs flushing.
 * Core-level: only core's scripts are registered (plus the caller's); the server's are in server.ts.
 */
import { createRedis, type Redis, waitForRedis } from '@f1/core/redis';
import type { ScriptSet } from '@f1/core/redis-scripts';

/** The real Redis tests use, or null when F1_TEST_REDIS_URL is not set. */
export function testRedisUrl(): string | null {
  const url = process.env.F1_TEST_REDIS_URL?.trim();
  return url ? url : null;
}

/** Script sets to register when the connection is made (e.g. the jobs' pacer). */
export interface TestRedisOptions {
  scripts?: readonly ScriptSet[];
}

export type TestRedis = Redis & { prefix: string };

/** A new key prefix unique to this process and call. */
export function testPrefix(): string {
  return `f1t:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`;
}

/** A connection to the test Redis under a fresh private prefix. Throws when no Redis is configured. */
export async function testRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const url = testRedisUrl();
  if (!url) throw new Error('F1_TEST_REDIS_URL is not set');
  const prefix = testPrefix();
  const redis = createRedis(url, { keyPrefix: prefix, scripts: options.scripts });
  await waitForRedis(redis);
  return Object.assign(redis, { prefix });
}

/** A second connection under `prefix` (another process sharing the first one's keys). */
export async function testRedisAt(prefix: string, options: TestRedisOptions = {}): Promise<Redis> {
  const redis = createRedis(testRedisUrl() ?? '', { keyPrefix: prefix, scripts: options.scripts });
  await waitForRedis(redis);
  return redis;
}

/** Two connections under one private prefix: two processes sharing a Redis. */
export async function testRedisPair(options: TestRedisOptions = {}): Promise<[TestRedis, Redis]> {
  const first = await testRedis(options);
  return [first, await testRedisAt(first.prefix, options)];
}
