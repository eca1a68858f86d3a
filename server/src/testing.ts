/**
 * Test helpers for anything built on the server: services over a fresh database, a real Redis with a
 * private key prefix, and a tRPC client that calls the app in-process (no port).
 */

import type { Config } from '@f1/core/config';
import { loadConfig } from '@f1/core/config';
import { silentLogger } from '@f1/core/logger';
import { type Redis, waitForRedis } from '@f1/core/redis';
import type { ScriptSet } from '@f1/core/redis-scripts';
import type { Database } from '@f1/db/connection/connect';
import { createTRPCClient, httpBatchLink, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { createApp } from './app.ts';
import { createServerRedis } from './redis.ts';
import { Services } from './services.ts';
import type { AppRouter } from './trpc/router.ts';

/** The real Redis tests use, or null when F1_TEST_REDIS_URL is not set. */
export function testRedisUrl(): string | null {
  const url = process.env.F1_TEST_REDIS_URL?.trim();
  return url ? url : null;
}

/** Script sets beyond the server's own, registered when the connection is made (e.g. the jobs' pacer). */
export interface TestRedisOptions {
  scripts?: readonly ScriptSet[];
}

/**
 * A connection to the test Redis whose keys all live under a prefix unique to this call, so test files
 * never see each other's keys and nothing needs flushing.
 */
export async function testRedis(
  options: TestRedisOptions = {},
): Promise<Redis & { prefix: string }> {
  const url = testRedisUrl();
  if (!url) throw new Error('F1_TEST_REDIS_URL is not set');
  const prefix = `f1t:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`;
  const redis = createServerRedis(url, { keyPrefix: prefix, scripts: options.scripts });
  await waitForRedis(redis);
  return Object.assign(redis, { prefix });
}

/** Two connections under one private prefix: two processes sharing a Redis. */
export async function testRedisPair(
  options: TestRedisOptions = {},
): Promise<[Redis & { prefix: string }, Redis]> {
  const first = await testRedis(options);
  const second = createServerRedis(testRedisUrl() ?? '', {
    keyPrefix: first.prefix,
    scripts: options.scripts,
  });
  await waitForRedis(second);
  return [first, second];
}

/**
 * Polls `check` until it holds; throws after `timeoutMs`. For outcomes another process or a background
 * task brings about: the deadline is generous, the poll short, so a loaded machine only waits longer.
 */
export async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await Bun.sleep(25);
  }
}

/** A test configuration: defaults plus overrides, never the developer's own environment. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    F1_ENVIRONMENT: 'test',
    F1_JWT_SECRET_KEY: 'test-secret-'.padEnd(40, 'x'),
    ...env,
  });
}

export function testServices(init: {
  database: Database;
  redis?: Redis | null;
  config?: Config;
}): Services {
  return new Services({
    config: init.config ?? testConfig(),
    database: init.database,
    redis: init.redis ?? null,
    logger: silentLogger,
  });
}

type AppLike = { handle(request: Request): Promise<Response> };

/** A `fetch` that hands requests to the app in-process. */
export function inProcessFetch(app: AppLike) {
  // bun-types' Response does not structurally match tRPC's FetchEsque under TS 7: one cast at this seam.
  return ((input: string, init?: RequestInit) =>
    app.handle(new Request(input, init))) as unknown as NonNullable<
    Parameters<typeof httpBatchLink>[0]['fetch']
  >;
}

/** A typed tRPC client over `app.handle` (batched unless `batch: false`). */
export function testClient(
  app: AppLike,
  options: { headers?: Record<string, string>; batch?: boolean } = {},
) {
  const link = options.batch === false ? httpLink : httpBatchLink;
  return createTRPCClient<AppRouter>({
    links: [
      link({
        url: 'http://test.local/trpc',
        transformer: superjson,
        fetch: inProcessFetch(app),
        headers: () => options.headers ?? {},
      }),
    ],
  });
}

/** Builds the app over the given services. */
export function testApp(services: Services) {
  return createApp(services);
}

/** The JSON body of a response, typed by the caller (tests know the shape they expect). */
export async function jsonBody<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
