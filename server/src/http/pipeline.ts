/**
 * The HTTP pipeline for `/trpc/*`, through the one public-GET responder (public-get.ts):
 *
 * 1. A GET of cacheable procedures has a response-cache key; a hit (for an anonymous caller, or one
 *    whose credentials were accepted) passes the rate-limit gate (rate-limit/http-gate.ts) and is
 *    answered with the cached bytes — or 304 — without entering tRPC.
 * 2. A request that may carry a body is rate-limited, then has its body read under its limit, before
 *    tRPC sees it (trpc-intake.ts): a refused client's body is never read, an oversized one never held.
 * 3. Everything else goes through tRPC (`handleTrpc`); the responder gives a public answer its ETag and
 *    304, and stores it in the response cache with the tag versions its reads depended on.
 */
import { limitOutsideTrpc } from '../rate-limit/http-gate.ts';
import type { Services } from '../services.ts';
import { appRouter } from '../trpc/router.ts';
import { cacheableProcedures } from './edge-cache.ts';
import { publicGetKey, respondPublic } from './public-get.ts';
import { handleTrpc, type RequestInfo, TRPC_ENDPOINT } from './trpc.ts';
import { intake } from './trpc-intake.ts';

const CACHEABLE = cacheableProcedures(appRouter._def.procedures);
const PREFIX = `${TRPC_ENDPOINT}/`;

/**
 * The response-cache key of a non-streamed GET (its path and query), or null when some procedure it
 * calls is not cacheable, so such requests never pay a lookup (nor an authentication up front).
 */
export function responseKey(request: Request): string | null {
  // `trpc-accept` asks for a streamed (JSONL) answer: never the cached JSON bytes.
  if (request.headers.has('trpc-accept')) return null;
  const key = publicGetKey(request);
  if (key === null || !key.startsWith(PREFIX)) return null;
  const query = key.indexOf('?');
  const paths = key.slice(PREFIX.length, query < 0 ? undefined : query);
  for (const path of paths.split(',')) if (!CACHEABLE.has(path)) return null;
  return key;
}

/**
 * HEAD is answered as its GET (public-get.ts): tRPC itself answers every HEAD 204, even on a mutation
 * (where every other wrong method is a 405), so a query answers its GET's status and headers and a
 * mutation its GET's 405.
 */
export function serveTrpc(services: Services, info: RequestInfo): Promise<Response> {
  return respondPublic(services, info.request, {
    key: responseKey,
    gate: (request, principal) =>
      limitOutsideTrpc(services, { ...info, request, principal }, TRPC_ENDPOINT),
    compute: async (request, trace, auth) => {
      const admitted = await intake(services, { ...info, request, endpoint: TRPC_ENDPOINT });
      if (admitted instanceof Response) return admitted;
      return handleTrpc(services, { ...info, ...(auth ? { auth } : {}), ...admitted }, trace);
    },
  });
}
