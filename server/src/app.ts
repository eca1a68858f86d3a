/**
 * The HTTP application: health endpoints, tRPC and the OpenAPI bridge (REST + docs pages), composed on
 * one Elysia instance.
 * Built by `createApp(services)` without listening, so tests drive it through `app.handle(request)`.
 */
import { Elysia } from 'elysia';
import { databaseHealth, overallHealth, redisHealth } from './health.ts';
import { serveTrpc } from './http/pipeline.ts';
import { TRPC_ENDPOINT } from './http/trpc.ts';
import { openApiRoutes } from './openapi/routes.ts';
import type { Services } from './services.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

export function createApp(services: Services) {
  return new Elysia()
    .onError(({ code, error, request }) => {
      if (code === 'NOT_FOUND')
        return json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404);
      if (code === 'PARSE' || code === 'VALIDATION') {
        return json(
          { error: { code: 'BAD_REQUEST', message: 'the request could not be parsed' } },
          400,
        );
      }
      services.logger.error('unhandled HTTP error', {
        url: request.url,
        error: error instanceof Error ? error.message : String(error),
      });
      return json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } }, 500);
    })
    .get('/health', async () => {
      const health = await overallHealth(services);
      return json(health, health.status === 'unhealthy' ? 503 : 200);
    })
    .get('/health/database', async () => {
      const health = await databaseHealth(services);
      return json(health, health.status === 'ok' ? 200 : 503);
    })
    .get('/health/redis', async () => {
      const health = await redisHealth(services);
      return json(health, health.status === 'down' ? 503 : 200);
    })
    .all(`${TRPC_ENDPOINT}/*`, ({ request, server }) =>
      serveTrpc(services, { request, ip: server?.requestIP(request)?.address ?? null }),
    )
    .use(openApiRoutes(services));
}

export type App = ReturnType<typeof createApp>;
