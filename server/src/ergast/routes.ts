/**
 * The facade's HTTP routes: `GET`/`HEAD /ergast/f1/*` and `/api/f1/*` (Ergast's legacy prefix), other
 * methods 405 with `Allow`. Every answer goes through the one public-GET responder (response cache,
 * ETag, 304, Cache-Control), keyed by host and path (the envelope's `url` names the host) and stored
 * under the tags its reads recorded, so the data-change invalidations drop it. Each request — cached
 * or not — counts against the caller's `ergast` rate limit (per user, API key or IP); a caller with
 * accepted credentials is answered from the cache too (`private`), refused ones never are.
 */
import { Elysia } from 'elysia';
import { authenticateRequest, type RequestAuth, requestIp } from '../auth/request-context.ts';
import type { RequestTrace } from '../cache/request-trace.ts';
import { isAuthenticated } from '../http/edge-cache.ts';
import { type Answer, respondPublic } from '../http/public-get.ts';
import { readOnlyRefusal } from '../http/read-only-routes.ts';
import { jsonError } from '../openapi/errors.ts';
import type { HttpGateResult } from '../rate-limit/http-gate.ts';
import {
  RateLimitUnavailableError,
  rateLimitHeaders,
  rateLimitSubject,
} from '../rate-limit/limiter.ts';
import type { Services } from '../services.ts';
import { canonicalPath, ergastAnswer } from './answer.ts';
import { ERGAST_PREFIXES, type ErgastPaging, parseErgastPaging } from './query.ts';

/** Shared caches may keep an answer a minute; data changes drop ours at once. */
const CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=60';
const ENCODER = new TextEncoder();

/** The caller's `ergast` limit: headers to add, or the 429 to send. */
async function gate(
  services: Services,
  request: Request,
  peer: string | null,
  auth: RequestAuth | undefined,
): Promise<HttpGateResult> {
  const checked =
    auth ??
    (isAuthenticated(request) ? await authenticateRequest(services, request.headers) : null);
  const principal = checked?.principal ?? null;
  const subject = rateLimitSubject(principal, requestIp(services, request, peer));
  const policy = services.rateLimitPolicies.ergast;
  try {
    const result = await services.rateLimiter.check(subject, policy);
    const headers = Object.entries(rateLimitHeaders(result));
    if (result.allowed) return headers;
    const message = `rate limit exceeded (${result.limit} per ${result.windowSeconds} s); retry in ${result.retryAfterSeconds} s`;
    const refused = jsonError(429, { code: 'TOO_MANY_REQUESTS', message });
    for (const [name, value] of headers) refused.headers.set(name, value);
    return refused;
  } catch (error) {
    if (!(error instanceof RateLimitUnavailableError)) throw error;
    return jsonError(503, { code: 'SERVICE_UNAVAILABLE', message: 'rate limiter unavailable' });
  }
}

async function compute(
  services: Services,
  call: { request: Request; peer: string | null; prefix: string; auth: RequestAuth | undefined },
  trace: RequestTrace,
): Promise<Response | Answer> {
  const limited = await gate(services, call.request, call.peer, call.auth);
  if (limited instanceof Response) return limited;
  const url = new URL(call.request.url);
  const answer = await ergastAnswer(
    {
      db: services.db,
      read: (spec, load) => services.cache.query.get(spec, load, trace),
    },
    { rest: url.pathname.slice(call.prefix.length), url },
  );
  const headers = new Headers(limited);
  headers.set('content-type', 'application/json');
  // The answer does not depend on the caller; refused credentials are never stored (the responder
  // sends an accepted principal `private`, http/public-get.ts).
  const refused = isAuthenticated(call.request) && !call.auth?.principal;
  const shareable = answer.status === 200 && !refused;
  headers.set('cache-control', shareable ? CACHE_CONTROL : 'no-store');
  return { status: answer.status, headers, body: ENCODER.encode(JSON.stringify(answer.body)) };
}

/**
 * The response-cache key: host (the answer names it), the canonical path and the paging actually used —
 * never the raw query, so a parameter the facade ignores (`?_=123`) or another spelling of the same
 * limit does not store another copy. A request whose paging is invalid is never stored (it is a 400).
 */
function cacheKey(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  let paging: ErgastPaging;
  try {
    paging = parseErgastPaging(url.searchParams);
  } catch {
    return null;
  }
  return `ergast|${url.host.toLowerCase()}|${canonicalPath(url.pathname)}|${paging.limit}|${paging.offset}`;
}

export function ergastRoutes(services: Services) {
  const app = new Elysia();
  for (const prefix of ERGAST_PREFIXES) {
    const serve = (request: Request, peer: string | null) =>
      respondPublic(services, request, {
        key: cacheKey,
        gate: (req, principal) => gate(services, req, peer, { principal, authError: null }),
        compute: (req, trace, auth) =>
          compute(services, { request: req, peer, prefix, auth }, trace),
      });
    app.all(`${prefix}/*`, ({ request, server }) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return readOnlyRefusal(request);
      return serve(request, server?.requestIP(request)?.address ?? null);
    });
  }
  return app;
}
