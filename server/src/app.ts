/**
 * The HTTP application: health endpoints, tRPC, the OpenAPI bridge (REST + docs pages) and the
 * Ergast-compatible facade (/ergast/f1, /api/f1), composed on one Elysia instance.
 * Built by `createApp(services)` without listening, so tests drive it through `app.handle(request)`.
 */
import { Elysia } from 'elysia';
import { dashboardRoutes } from './dashboard/routes.ts';
import { ergastRoutes } from './ergast/routes.ts';
import { databaseHealth, overallHealth, redisHealth } from './health.ts';
import { allowBodyTime } from './http/body-budget.ts';
import { edgeHeaders } from './http/edge-headers.ts';
import { serveTrpc } from './http/pipeline.ts';
import { refuseOtherMethods } from './http/read-only-routes.ts';
import { makeRoutable } from './http/routable-url.ts';
import { TRPC_ENDPOINT } from './http/trpc.ts';
import { metricsRoutes } from './metrics/metrics-routes.ts';
import { jsonError } from './openapi/errors.ts';
import { openApiRoutes } from './openapi/routes.ts';
import type { Services } from './services.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

export function createApp(services: Services) {
  // The hook below re-dispatches a rewritten request through the finished app.
  let dispatch = (_request: Request): Promise<Response> => Promise.reject(new Error('not built'));
  const app = new Elysia()
    // Every answer leaves with CORS and security headers; CORS preflights end here (http/edge-headers.ts).
    .wrap(edgeHeaders(services.config))
    // First: its hooks count every request, its error hook sees errors before the one below answers.
    .use(metricsRoutes(services))
    // A body may take its read deadline to arrive, not Bun's idle timeout (http/body-budget.ts).
    .onRequest(({ request, server }) => allowBodyTime(server, request, services.config.bodyIntake))
    // Before routing: a URL Elysia would misroute (short or missing Host) is rewritten and the
    // request handled afresh (see http/routable-url.ts).
    .onRequest(({ request }) => (makeRoutable(request) ? dispatch(request) : undefined))
    // Errors have the documented REST shape, `{ code, message }`, here as under /api/v1.
    .onError(({ code, error, request }) => {
      if (code === 'NOT_FOUND')
        return jsonError(404, { code: 'NOT_FOUND', message: 'no such route' });
      if (code === 'PARSE' || code === 'VALIDATION')
        return jsonError(400, {
          code: 'BAD_REQUEST',
          message: 'the request could not be parsed',
        });
      services.logger.error('unhandled HTTP error', {
        url: request.url,
        error: error instanceof Error ? error.message : String(error),
      });
      return jsonError(500, { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
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
    .use(ergastRoutes(services))
    .use(openApiRoutes(services))
    .use(dashboardRoutes(services));
  // Health, metrics, docs and dashboard paths: other methods 405 with Allow, not 404.
  refuseOtherMethods(app);
  dispatch = (request) => app.handle(request);
  return app;
}

export type App = ReturnType<typeof createApp>;
