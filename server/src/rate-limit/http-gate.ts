/**
 * The rate limit for answers produced outside tRPC — the response cache serves anonymous GETs before
 * tRPC is entered — with the same policy, subject (client IP) and counting (one per call of a batch)
 * as the tRPC middleware, and a 429 shaped like tRPC's own, so clients cannot tell the paths apart.
 */
import { resolveClientIp } from '../auth/client-ip.ts';
import type { Services } from '../services.ts';
import { type RateLimitResult, rateLimitHeaders, rateLimitSubject } from './limiter.ts';

/** `[name, value]` headers to add to the answer, or the 429 to send instead. */
export type HttpGateResult = Response | [string, string][];

/**
 * The procedure paths of a tRPC GET URL (`/trpc/a,b?batch=1` → `['a', 'b']`). String scanning rather
 * than `new URL`: this runs on every response-cache hit.
 */
function callPaths(url: string, endpoint: string): { paths: string[]; batch: boolean } {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const queryStart = url.indexOf('?', pathStart);
  const path = url.slice(pathStart, queryStart < 0 ? undefined : queryStart);
  const at = path.indexOf(endpoint);
  const rest = (at < 0 ? path : path.slice(at + endpoint.length)).replace(/^\/+/, '');
  const batch = queryStart >= 0 && /[?&]batch=1(&|$)/.test(url.slice(queryStart));
  return { paths: batch ? rest.split(',') : [rest], batch };
}

function tooManyRequests(result: RateLimitResult, url: string, endpoint: string): Response {
  const { paths, batch } = callPaths(url, endpoint);
  const message = `rate limit exceeded (${result.limit} per ${result.windowSeconds} s); retry in ${result.retryAfterSeconds} s`;
  const error = (path: string) => ({
    error: {
      json: {
        message,
        code: -32029,
        data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path, zodError: null },
      },
    },
  });
  const body = batch ? paths.map(error) : error(paths[0] ?? '');
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...rateLimitHeaders(result),
    },
  });
}

/**
 * Counts an anonymous tRPC GET answered outside tRPC against the client's default limit.
 *
 * @example
 *   const gate = await limitOutsideTrpc(services, { request, ip }, '/trpc');
 *   if (gate instanceof Response) return gate;          // 429
 *   return new Response(cached.body, { headers: [...cached.headers, ...gate] });
 */
export async function limitOutsideTrpc(
  services: Services,
  { request, ip }: { request: Request; ip: string | null },
  endpoint: string,
): Promise<HttpGateResult> {
  const { url } = request;
  const clientIp = resolveClientIp(request.headers, ip, services.config.trustedProxies);
  const subject = rateLimitSubject(null, clientIp);
  const policy = services.rateLimitPolicies.default;
  let last: RateLimitResult | null = null;
  for (const _ of callPaths(url, endpoint).paths) {
    last = await services.rateLimiter.check(subject, policy);
    if (!last.allowed) return tooManyRequests(last, url, endpoint);
  }
  return last ? Object.entries(rateLimitHeaders(last)) : [];
}
