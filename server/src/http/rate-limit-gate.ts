/**
 * The per-principal rate limit for responses served from the response cache, which never enter tRPC
 * (where the limit applies to everything else). Anonymous requests are limited by client IP.
 *
 * Returns the headers to add to the cached response, or the 429 to send instead.
 * SEAM: a no-op until the auth limiter (issue 5) is on `Services`; then it calls `check(key, policy)`.
 */
import type { Services } from '../services.ts';
import type { RequestInfo } from './trpc.ts';

export type GateResult = Response | [string, string][];

const ALLOWED: [string, string][] = [];

export async function fastPathRateLimit(
  _services: Services,
  _info: RequestInfo,
): Promise<GateResult> {
  return ALLOWED;
}
