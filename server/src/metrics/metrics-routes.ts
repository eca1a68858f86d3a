/**
 * `GET /metrics` (Prometheus text format, Bearer F1_METRICS_TOKEN) and the hooks that count every
 * request: start time on arrival, route label, status and latency once the handler has answered.
 * Mounted first in the app, so its error hook sees 404s and parse errors before the app's own answers
 * them. Without a token (Services.metrics null) it adds nothing: no route (404), no hooks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Elysia } from 'elysia';
import {
  compress,
  encodedHeaders,
  negotiateEncoding,
  shouldCompress,
} from '../http/compression.ts';
import { jsonError } from '../openapi/errors.ts';
import type { Services } from '../services.ts';
import { appRouter } from '../trpc/router.ts';
import { procedureLabels, routeLabel, UNMATCHED } from './route-label.ts';
import type { ServerMetrics } from './server-metrics.ts';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `Bearer <token>`, the scheme in any case (RFC 9110 §11.1) as the API's own check reads it; the
 * token is the rest, trimmed (the configuration allows one with inner spaces).
 */
const BEARER = /^Bearer[ \t]+(.*\S)[ \t]*$/i;

/** A Bearer check that takes as long for a near miss as for a wild one. */
export function bearerMatches(header: string | null, token: string): boolean {
  const presented = header ? BEARER.exec(header)?.[1] : undefined;
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(token));
}

/** What the app's own error hook answers for an Elysia error code (app.ts). */
function errorStatus(code: string | number): number {
  if (code === 'NOT_FOUND') return 404;
  if (code === 'PARSE' || code === 'VALIDATION') return 400;
  return 500;
}

function unauthorized(): Response {
  const response = jsonError(401, {
    code: 'UNAUTHORIZED',
    message: `GET ${METRICS_PATH} needs the header Authorization: Bearer <F1_METRICS_TOKEN>`,
  });
  response.headers.set('www-authenticate', 'Bearer realm="metrics"');
  return response;
}

function counting(metrics: ServerMetrics) {
  const procedures = procedureLabels(Object.keys(appRouter._def.procedures));
  const arrived = new WeakMap<Request, number>();
  const record = (request: Request, label: string, status: number) => {
    const start = arrived.get(request);
    metrics.request(label, status, start === undefined ? 0 : (performance.now() - start) / 1000);
  };
  return new Elysia()
    .onRequest(({ request }) => {
      arrived.set(request, performance.now());
    })
    .onAfterHandle({ as: 'global' }, ({ request, route, path, response }) => {
      const status = response instanceof Response ? response.status : 200;
      record(request, routeLabel(route, { method: request.method, path }, procedures), status);
    })
    .onError({ as: 'global' }, ({ code, request, route, path }) => {
      const label = route
        ? routeLabel(route, { method: request.method, path }, procedures)
        : UNMATCHED;
      record(request, label, errorStatus(code));
    });
}

export function metricsRoutes(services: Services) {
  const { metrics } = services;
  const token = services.config.metricsToken;
  if (!metrics || !token) return new Elysia();
  return new Elysia().use(counting(metrics)).get(METRICS_PATH, async ({ request }) => {
    if (!bearerMatches(request.headers.get('authorization'), token)) return unauthorized();
    const { body, contentType } = await metrics.scrape();
    const headers = new Headers({ 'content-type': contentType, 'cache-control': 'no-store' });
    // Prometheus always asks for gzip; the same rules as every other answer (compression.ts).
    const bytes = new TextEncoder().encode(body);
    if (!shouldCompress(200, headers, bytes.byteLength)) return new Response(bytes, { headers });
    const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
    encodedHeaders(headers, encoding);
    return new Response(encoding ? compress(bytes, encoding) : bytes, { headers });
  });
}
