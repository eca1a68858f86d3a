/**
 * Rate limiting: the contract, policies, keys and response headers. Usable anywhere, not only in tRPC:
 * the response cache in front of tRPC applies the same limit with
 *
 * @example
 *   const result = await services.rateLimiter.check(
 *     rateLimitSubject(principal, ip),           // 'user:7' | 'key:3' | 'ip:203.0.113.9'
 *     services.rateLimitPolicies.default,
 *   );
 *   const headers = rateLimitHeaders(result);    // RateLimit-*, plus Retry-After when refused
 *   if (!result.allowed) return new Response(body, { status: 429, headers });
 *
 * Algorithm: a sliding-window log (one sorted-set entry per admitted request, scored by time), checked
 * and updated atomically, so N concurrent requests against a limit L admit exactly min(N, L).
 * Refused requests are not recorded: a client hammering past its limit does not extend its own ban.
 */
import type { Principal } from '../trpc/context.ts';

export interface RateLimitPolicy {
  /** Part of the Redis key: two policies never share a bucket. */
  name: string;
  limit: number;
  windowSeconds: number;
  /**
   * What to do when the limiter's store (Redis) is down: `open` admits the request (reads: the API
   * stays up), `closed` refuses it with 503 (auth routes: brute force must not get unlimited tries).
   */
  failMode: 'open' | 'closed';
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until a slot frees up (the oldest counted request leaves the window). */
  resetSeconds: number;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfterSeconds: number;
  /** The policy's window, for the `RateLimit-Policy` header. */
  windowSeconds: number;
  /** True when the store was unreachable and the policy failed open: no real count was taken. */
  degraded?: boolean;
}

export interface RateLimiter {
  readonly backend: 'redis' | 'memory';
  /** Counts one request against `key` under `policy`. Throws `RateLimitUnavailableError` (fail closed). */
  check(key: string, policy: RateLimitPolicy): Promise<RateLimitResult>;
}

/** The limiter's store failed and the policy says to fail closed. */
export class RateLimitUnavailableError extends Error {
  override readonly name = 'RateLimitUnavailableError';
}

/** Who a request counts against: the user, the API key, or (anonymous) the client IP. */
export function rateLimitSubject(principal: Principal | null, ip: string | null): string {
  if (principal?.kind === 'user') return `user:${principal.id}`;
  if (principal?.kind === 'api_key') return `key:${principal.id}`;
  return `ip:${ip ?? 'unknown'}`;
}

/**
 * Response headers for a result (IETF draft `RateLimit-*` fields, delta-seconds reset) plus
 * `Retry-After` when refused. A degraded (fail-open) result gets none: there is nothing true to say.
 */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  if (result.degraded) return {};
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(result.limit),
    'RateLimit-Remaining': String(result.remaining),
    'RateLimit-Reset': String(result.resetSeconds),
    'RateLimit-Policy': `${result.limit};w=${result.windowSeconds}`,
  };
  if (!result.allowed) headers['Retry-After'] = String(result.retryAfterSeconds);
  return headers;
}

/**
 * Writes a result's headers into a response's headers. When several checks share one response (a tRPC
 * batch, or a procedure with two policies), the most constraining one wins: a refusal over an admission,
 * then the fewest remaining requests.
 */
export function applyRateLimitHeaders(headers: Headers, result: RateLimitResult): void {
  if (result.degraded) return;
  const refused = headers.has('Retry-After');
  const remaining = Number(headers.get('RateLimit-Remaining') ?? Number.POSITIVE_INFINITY);
  if (refused && result.allowed) return;
  if (!refused && result.allowed && remaining < result.remaining) return;
  for (const [name, value] of Object.entries(rateLimitHeaders(result))) headers.set(name, value);
}

/** Builds a result from the raw numbers a store reports. */
export function toResult(
  policy: RateLimitPolicy,
  raw: { allowed: boolean; remaining: number; resetMs: number },
): RateLimitResult {
  const resetSeconds = Math.max(1, Math.ceil(raw.resetMs / 1000));
  return {
    allowed: raw.allowed,
    limit: policy.limit,
    remaining: Math.max(0, raw.remaining),
    resetSeconds,
    retryAfterSeconds: raw.allowed ? 0 : resetSeconds,
    windowSeconds: policy.windowSeconds,
  };
}
