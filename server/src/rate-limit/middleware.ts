/**
 * Applies rate limits to every procedure call (it runs in the base procedure, so tRPC and the REST
 * bridge are both covered). The procedure's `meta.rateLimit` preset picks the policies; the headers of
 * the most constraining check are written to the response, and a refusal is a 429 TOO_MANY_REQUESTS
 * with `Retry-After`.
 */
import { TRPCError } from '@trpc/server';
import { sha256 } from '../auth/secrets.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import {
  applyRateLimitHeaders,
  type RateLimitPolicy,
  RateLimitUnavailableError,
  rateLimitSubject,
} from './limiter.ts';

/** What a procedure may set as `meta.rateLimit`. */
export type RateLimitPreset = 'default' | 'mlBatch' | 'login' | 'register' | 'authRefresh';

export interface RateLimitedCall {
  ctx: {
    services: Services;
    principal: Principal | null;
    ip: string | null;
    resHeaders: Headers | null;
  };
  path: string;
  meta: { rateLimit?: RateLimitPreset } | undefined;
  getRawInput: () => Promise<unknown>;
}

async function accountOf(getRawInput: () => Promise<unknown>): Promise<string | null> {
  const input = await getRawInput().catch(() => null);
  if (typeof input !== 'object' || input === null || !('email' in input)) return null;
  // Hashed: Redis keys should not be a list of email addresses.
  return typeof input.email === 'string' ? sha256(input.email.trim().toLowerCase()) : null;
}

async function checksFor(
  call: RateLimitedCall,
): Promise<{ key: string; policy: RateLimitPolicy }[]> {
  const { services, principal, ip } = call.ctx;
  const policies = services.rateLimitPolicies;
  const subject = rateLimitSubject(principal, ip);
  const byIp = `ip:${ip ?? 'unknown'}`;
  switch (call.meta?.rateLimit ?? 'default') {
    case 'default':
      return [{ key: subject, policy: policies.default }];
    case 'mlBatch':
      return [{ key: subject, policy: policies.mlBatch }];
    case 'register':
      return [{ key: byIp, policy: policies.register }];
    case 'authRefresh':
      return [{ key: byIp, policy: policies.authRefresh }];
    case 'login': {
      const account = await accountOf(call.getRawInput);
      return [
        { key: byIp, policy: policies.login },
        ...(account ? [{ key: `account:${account}`, policy: policies.loginAccount }] : []),
      ];
    }
  }
}

/** Throws TOO_MANY_REQUESTS (or SERVICE_UNAVAILABLE when failing closed) instead of admitting a call. */
export async function enforceRateLimit(call: RateLimitedCall): Promise<void> {
  const { services, resHeaders } = call.ctx;
  for (const { key, policy } of await checksFor(call)) {
    let result: Awaited<ReturnType<typeof services.rateLimiter.check>>;
    try {
      result = await services.rateLimiter.check(key, policy);
    } catch (error) {
      if (!(error instanceof RateLimitUnavailableError)) throw error;
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: 'rate limiter unavailable; try again shortly',
        cause: error,
      });
    }
    if (resHeaders) applyRateLimitHeaders(resHeaders, result);
    if (!result.allowed) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `rate limit exceeded (${policy.limit} per ${policy.windowSeconds} s); retry in ${result.retryAfterSeconds} s`,
      });
    }
  }
}
