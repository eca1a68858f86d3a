/**
 * Test helpers for anything built on the server: services over a test database, server Redis
 * connections (every server script registered) under a private prefix, and a tRPC client that calls the
 * app in-process (no port).
 */
import type { Config } from '@f1/core/config';
import { silentLogger } from '@f1/core/logger';
import { type Redis, waitForRedis } from '@f1/core/redis';
import type { Database } from '@f1/db/connection/connect';
import { createApp } from '@f1/server/app';
import { createServerRedis } from '@f1/server/redis';
import { Services } from '@f1/server/services';
import type { AppRouter } from '@f1/server/trpc/router';
import { createTRPCClient, httpBatchLink, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { testConfig } from './config.ts';
import { type TestRedis, type TestRedisOptions, testPrefix, testRedisUrl } from './redis.ts';

/** A server Redis connection (the server's scripts plus `options.scripts`) under `prefix`. */
async function serverRedis(prefix: string, options: TestRedisOptions): Promise<Redis> {
  const url = testRedisUrl();
  if (!url) throw new Error('F1_TEST_REDIS_URL is not set');
  const redis = createServerRedis(url, { keyPrefix: prefix, scripts: options.scripts });
  await waitForRedis(redis);
  return redis;
}

/** A server Redis connection to the test Redis under a fresh private prefix. */
export async function testServerRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const prefix = testPrefix();
  return Object.assign(await serverRedis(prefix, options), { prefix });
}

/** The test Redis for suites that run with or without one: null when none is configured. */
export async function testServerRedisIfAny(): Promise<TestRedis | null> {
  return testRedisUrl() ? testServerRedis() : null;
}

/** Two server connections under one private prefix: two server processes sharing a Redis. */
export async function testServerRedisPair(
  options: TestRedisOptions = {},
): Promise<[TestRedis, Redis]> {
  const first = await testServerRedis(options);
  return [first, await serverRedis(first.prefix, options)];
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
