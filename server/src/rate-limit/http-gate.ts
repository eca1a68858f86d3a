/**
 * The rate limit for answers produced outside tRPC — the response cache serves cacheable GETs before
 * tRPC is entered — with the same policy, subject (the principal, or the client IP when anonymous) and
 * counting (one per call of a batch) as the tRPC middleware, and a 429 shaped like tRPC's own, so
 * clients cannot tell the paths apart.
 */
import { resolveClientIp } from '../auth/client-ip.ts';
import { callPaths, trpcErrorResponse } from '../http/trpc-error-response.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { type RateLimitResult, rateLimitHeaders, rateLimitSubject } from './limiter.ts';
import { callerPolicy } from './policies.ts';

/** `[name, value]` headers to add to the answer, or the 429 to send instead. */
export type HttpGateResult = Response | [string, string][];

function tooManyRequests(result: RateLimitResult, url: string, endpoint: string): Response {
  const message = `rate limit exceeded (${result.limit} per ${result.windowSeconds} s); retry in ${result.retryAfterSeconds} s`;
  return trpcErrorResponse(url, endpoint, {
    errorOf: () => ({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, message }),
    headers: rateLimitHeaders(result),
  });
}

/**
 * Counts a tRPC GET answered outside tRPC against the caller's default limit — the principal's, or
 * without one the anonymous (per-IP) limit — the policy the tRPC middleware gives the same call.
 *
 * @example
 *   const gate = await limitOutsideTrpc(services, { request, ip }, '/trpc');
 *   if (gate instanceof Response) return gate;          // 429
 *   return new Response(cached.body, { headers: [...cached.headers, ...gate] });
 */
export async function limitOutsideTrpc(
  services: Services,
  {
    request,
    ip,
    principal = null,
  }: { request: Request; ip: string | null; principal?: Principal | null },
  endpoint: string,
): Promise<HttpGateResult> {
  const { url } = request;
  const clientIp = resolveClientIp(request.headers, ip, services.config.trustedProxies);
  const subject = rateLimitSubject(principal, clientIp);
  const policy = callerPolicy(services.rateLimitPolicies, principal);
  let last: RateLimitResult | null = null;
  for (const _ of callPaths(url, endpoint).paths) {
    last = await services.rateLimiter.check(subject, policy);
    if (!last.allowed) return tooManyRequests(last, url, endpoint);
  }
  return last ? Object.entries(rateLimitHeaders(last)) : [];
}
