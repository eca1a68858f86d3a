/**
 * The named rate-limit policies. A procedure picks one with `meta.rateLimit`; without it the default
 * applies: F1_RATE_LIMIT_REQUESTS per F1_RATE_LIMIT_WINDOW seconds per principal, and for anonymous
 * callers the `anonymous` budget per client IP (`callerPolicy`). In development neither is below
 * F1_RATE_LIMIT_DEVELOPMENT_REQUESTS (core/src/config.ts resolves the numbers).
 *
 * | name          | limit                                       | keyed by            | Redis down |
 * | ------------- | ------------------------------------------- | ------------------- | ---------- |
 * | default       | F1_RATE_LIMIT_REQUESTS / F1_RATE_LIMIT_WINDOW | user or API key   | open       |
 * | anonymous     | F1_RATE_LIMIT_ANONYMOUS_REQUESTS / …_WINDOW | client IP           | open       |
 * | mlBatch       | 50 × the default (prediction submission)    | user or API key     | open       |
 * | login         | 10 per minute per IP, and                   | client IP           | closed     |
 * | loginAccount  | 5 per 5 minutes per account                 | email (hashed)      | closed     |
 * | register      | 5 per hour per IP                           | client IP           | closed     |
 * | authRefresh   | 30 per minute                               | client IP           | closed     |
 * | ergast        | F1_ERGAST_FACADE_RATE_LIMIT per second        | user, API key or IP | open       |
 *
 * The Ergast facade's per-second policy is a bucket of its own (and the same for anonymous callers
 * and principals, as Ergast's was): its requests never spend the default or anonymous budgets.
 */
import type { Config } from '@f1/core/config';
import type { Principal } from '../trpc/context.ts';
import type { RateLimitPolicy } from './limiter.ts';

export type RateLimitPolicyName =
  | 'default'
  | 'anonymous'
  | 'mlBatch'
  | 'login'
  | 'loginAccount'
  | 'register'
  | 'authRefresh'
  | 'ergast';

export type RateLimitPolicies = Record<RateLimitPolicyName, RateLimitPolicy>;

export function rateLimitPolicies(
  config: Pick<Config, 'rateLimit'>,
  overrides: Partial<Record<RateLimitPolicyName, Partial<RateLimitPolicy>>> = {},
): RateLimitPolicies {
  const { requests, windowSeconds } = config.rateLimit;
  const base: RateLimitPolicies = {
    default: { name: 'default', limit: requests, windowSeconds, failMode: 'open' },
    anonymous: {
      name: 'anonymous',
      limit: config.rateLimit.anonymousRequests,
      windowSeconds,
      failMode: 'open',
    },
    mlBatch: { name: 'ml-batch', limit: requests * 50, windowSeconds, failMode: 'open' },
    login: { name: 'login-ip', limit: 10, windowSeconds: 60, failMode: 'closed' },
    loginAccount: { name: 'login-account', limit: 5, windowSeconds: 300, failMode: 'closed' },
    register: { name: 'register-ip', limit: 5, windowSeconds: 3600, failMode: 'closed' },
    authRefresh: { name: 'refresh-ip', limit: 30, windowSeconds: 60, failMode: 'closed' },
    ergast: {
      name: 'ergast',
      limit: config.rateLimit.ergastPerSecond,
      windowSeconds: 1,
      failMode: 'open',
    },
  };
  for (const [name, override] of Object.entries(overrides) as [
    RateLimitPolicyName,
    Partial<RateLimitPolicy>,
  ][]) {
    base[name] = { ...base[name], ...override };
  }
  return base;
}

/** The default budget of a caller: the principal's, or without one the anonymous (per-IP) one. */
export function callerPolicy(
  policies: RateLimitPolicies,
  principal: Principal | null,
): RateLimitPolicy {
  return principal ? policies.default : policies.anonymous;
}
