/**
 * The server processes `bun run bench api` measures, chosen by BENCH_VARIANT:
 * - `bare`: `Bun.serve` answering every request with the status, headers and bytes in BENCH_RESPONSE_FILE
 *   (the ceiling for the response cache);
 * - `app`: the real app (`createApp`) over PostgreSQL and Redis, with BENCH_RESPONSE_CACHE and
 *   BENCH_QUERY_CACHE (`on`/`off`) and BENCH_DRIVER (`prepared-pool`/`kysely-postgres-js`), plus a tRPC
 *   no-op procedure at /bench/trpc/noop served by the fetch adapter with the same context, responseMeta
 *   and error handling as /trpc (the tRPC ceiling); BENCH_RATE_LIMIT=off swaps the limiter for one that
 *   admits everything without a store.
 * Prints `listening on http://…` once ready; stops on SIGTERM.
 */
import { getConfig } from '@f1/core/config';
import { silentLogger } from '@f1/core/logger';
import { waitForRedis } from '@f1/core/redis';
import { connectPostgres, type PostgresDriverKind } from '@f1/db/connection/connect';
import { createApp } from '@f1/server/app';
import { cacheControlFor } from '@f1/server/http/edge-cache';
import type { RateLimiter } from '@f1/server/rate-limit/limiter';
import { createServerRedis } from '@f1/server/redis';
import { Services } from '@f1/server/services';
import { createContextInner } from '@f1/server/trpc/context';
import { publicProcedure, router } from '@f1/server/trpc/init';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

const variant = process.env.BENCH_VARIANT;

if (variant === 'bare') {
  const { status, headers, body } = JSON.parse(
    await Bun.file(process.env.BENCH_RESPONSE_FILE ?? '').text(),
  ) as { status: number; headers: [string, string][]; body: string };
  const bytes = new TextEncoder().encode(body);
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => new Response(bytes, { status, headers }),
  });
  console.log(`listening on http://127.0.0.1:${server.port}`);
} else if (variant === 'app') {
  const config = getConfig();
  if (config.database.kind !== 'postgres' || !config.redis)
    throw new Error('the app variant needs F1_DATABASE_URL and F1_REDIS_URL');
  const database = connectPostgres(config.database.url, config.database.poolSize, {
    driver: (process.env.BENCH_DRIVER ?? 'prepared-pool') as PostgresDriverKind,
  });
  const redis = createServerRedis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    // As main.ts runs it.
    autoPipelining: process.env.BENCH_AUTOPIPELINING !== 'off',
  });
  await waitForRedis(redis);
  const services = new Services({
    config,
    database,
    redis,
    logger: silentLogger,
    cache: {
      queryCache: process.env.BENCH_QUERY_CACHE !== 'off',
      responseCache: process.env.BENCH_RESPONSE_CACHE !== 'off',
    },
  });
  await services.cache.start();
  if (process.env.BENCH_RATE_LIMIT === 'off') {
    // Measures the paths without the limiter: every check admits, with no store round trip.
    const allowAll: RateLimiter = {
      backend: 'memory',
      check: async (_key, policy) => ({
        allowed: true,
        limit: policy.limit,
        remaining: policy.limit,
        resetSeconds: policy.windowSeconds,
        retryAfterSeconds: 0,
        windowSeconds: policy.windowSeconds,
      }),
    };
    Object.defineProperty(services, 'rateLimiter', { value: allowAll });
  }

  const noopRouter = router({ noop: publicProcedure.query(() => 'ok') });
  const app = createApp(services)
    .all('/bench/trpc/*', ({ request }) =>
      fetchRequestHandler({
        endpoint: '/bench/trpc',
        req: request,
        router: noopRouter,
        createContext: ({ resHeaders }) =>
          createContextInner({
            services,
            ip: null,
            userAgent: request.headers.get('user-agent'),
            requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(),
            resHeaders,
          }),
        responseMeta: (meta) => ({ headers: { 'cache-control': cacheControlFor(request, meta) } }),
      }),
    )
    .listen({ hostname: '127.0.0.1', port: 0 });
  console.log(`listening on http://127.0.0.1:${app.server?.port}`);
  process.once('SIGTERM', async () => {
    await app.stop();
    services.cache.close();
    redis.disconnect();
    await database.close();
    process.exit(0);
  });
} else {
  console.error('BENCH_VARIANT must be bare or app');
  process.exit(2);
}
