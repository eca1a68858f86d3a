/**
 * The per-principal rate limit for responses served from the response cache, which never enter tRPC
 * (where the limit applies to everything else). Anonymous requests are limited by client IP.
 *
 * Returns the headers to add to the cached response, or the 429 to send instead.
 * The limiter itself (policy, subject, 429 shape) lives in rate-limit/http-gate.ts.
 */
import { type HttpGateResult, limitOutsideTrpc } from '../rate-limit/http-gate.ts';
import type { Services } from '../services.ts';
import { type RequestInfo, TRPC_ENDPOINT } from './trpc.ts';

export type GateResult = HttpGateResult;

export function fastPathRateLimit(services: Services, info: RequestInfo): Promise<GateResult> {
  return limitOutsideTrpc(services, info, TRPC_ENDPOINT);
}
