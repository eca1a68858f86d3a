/**
 * Which rate-limit checks a call makes, and running them. Split by what they need: every check but the
 * per-account login limit is keyed by the caller (principal or IP) and runs before the request body is
 * read (admission.ts); the per-account check needs the email from the body and runs in the middleware.
 */
import { TRPCError } from '@trpc/server';
import { sha256 } from '../auth/secrets.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import {
  applyRateLimitHeaders,
  type RateLimitPolicy,
  type RateLimitResult,
  RateLimitUnavailableError,
  rateLimitSubject,
} from './limiter.ts';
import { callerPolicy } from './policies.ts';

/** What a procedure may set as `meta.rateLimit`. */
export type RateLimitPreset = 'default' | 'mlBatch' | 'login' | 'register' | 'authRefresh';

export interface RateLimitCheck {
  key: string;
  policy: RateLimitPolicy;
}

/** What running a call's checks came to: every result taken, and why it stopped, if it did. */
export interface CheckOutcome {
  results: RateLimitResult[];
  refused: { policy: RateLimitPolicy; result: RateLimitResult } | null;
  unavailable: RateLimitUnavailableError | null;
}

/** The checks keyed by the caller alone: they can run before the body is read. */
export function callerChecks(
  services: Services,
  caller: { principal: Principal | null; ip: string | null },
  preset: RateLimitPreset,
): RateLimitCheck[] {
  const policies = services.rateLimitPolicies;
  const byIp = `ip:${caller.ip ?? 'unknown'}`;
  switch (preset) {
    case 'default':
      return [
        {
          key: rateLimitSubject(caller.principal, caller.ip),
          policy: callerPolicy(policies, caller.principal),
        },
      ];
    case 'mlBatch':
      return [{ key: rateLimitSubject(caller.principal, caller.ip), policy: policies.mlBatch }];
    case 'register':
      return [{ key: byIp, policy: policies.register }];
    case 'authRefresh':
      return [{ key: byIp, policy: policies.authRefresh }];
    case 'login':
      return [{ key: byIp, policy: policies.login }];
  }
}

/** The per-account login check (hashed: Redis keys should not be a list of email addresses). */
export function accountCheck(services: Services, input: unknown): RateLimitCheck | null {
  if (typeof input !== 'object' || input === null || !('email' in input)) return null;
  if (typeof input.email !== 'string') return null;
  const account = sha256(input.email.trim().toLowerCase());
  return { key: `account:${account}`, policy: services.rateLimitPolicies.loginAccount };
}

/** Counts the checks in order, stopping at the first refusal (a refused check is not recorded). */
export async function runChecks(
  services: Services,
  checks: RateLimitCheck[],
): Promise<CheckOutcome> {
  const outcome: CheckOutcome = { results: [], refused: null, unavailable: null };
  for (const { key, policy } of checks) {
    try {
      const result = await services.rateLimiter.check(key, policy);
      outcome.results.push(result);
      if (!result.allowed) {
        outcome.refused = { policy, result };
        break;
      }
    } catch (error) {
      if (!(error instanceof RateLimitUnavailableError)) throw error;
      outcome.unavailable = error;
      break;
    }
  }
  return outcome;
}

/** Writes the outcome's headers, then throws its refusal (429, or 503 when failing closed). */
export function settle(outcome: CheckOutcome, resHeaders: Headers | null): void {
  if (resHeaders) for (const result of outcome.results) applyRateLimitHeaders(resHeaders, result);
  if (outcome.unavailable) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'rate limiter unavailable; try again shortly',
      cause: outcome.unavailable,
    });
  }
  if (outcome.refused) {
    const { policy, result } = outcome.refused;
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `rate limit exceeded (${policy.limit} per ${policy.windowSeconds} s); retry in ${result.retryAfterSeconds} s`,
    });
  }
}
