/**
 * Serves tRPC over HTTP with the fetch adapter (`@elysiajs/trpc` does not support tRPC v11).
 * `responseMeta` sets the edge-cache policy (see edge-cache.ts); the response cache, ETags and 304s
 * are handled around this call in pipeline.ts.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext, type RequestAuth } from '../auth/request-context.ts';
import { attachTrace, type RequestTrace } from '../cache/request-trace.ts';
import type { Admission } from '../rate-limit/admission.ts';
import type { Services } from '../services.ts';
import { appRouter } from '../trpc/router.ts';
import { databaseRetryAfter, retryAfterHeader } from './database-unavailable.ts';
import { cacheControlFor } from './edge-cache.ts';

export const TRPC_ENDPOINT = '/trpc';

export interface RequestInfo {
  request: Request;
  ip: string | null;
  /** Already checked before the body was read (trpc-intake.ts); checked in the context otherwise. */
  auth?: RequestAuth;
  /** The rate limits counted before the body was read (trpc-intake.ts). */
  admission?: Admission;
}

export function handleTrpc(
  services: Services,
  { request, ip, auth, admission }: RequestInfo,
  trace?: RequestTrace,
): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      if (trace) attachTrace(resHeaders, trace);
      // Authenticates the request (Bearer JWT / API key) and resolves the client IP.
      return createRequestContext(services, { request, ip, resHeaders, auth, admission });
    },
    responseMeta: (meta) => ({
      headers: {
        'cache-control': cacheControlFor(request, meta),
        ...retryAfterHeader(meta.errors),
      },
    }),
    onError({ error, path }) {
      // Client mistakes are answered with their 4xx; only server faults are worth a log line (an
      // unreachable database is logged once by the pool, not per request).
      if (error.code === 'INTERNAL_SERVER_ERROR' && databaseRetryAfter(error) === null) {
        services.logger.error('tRPC procedure failed', {
          path,
          error: error.cause?.message ?? error.message,
        });
      }
    },
  });
}
