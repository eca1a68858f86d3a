/**
 * Builds the tRPC context for an HTTP request: resolves the client IP, authenticates the request's
 * credentials, and hands the response headers through (rate-limit headers are written there). Every
 * HTTP entry point that calls procedures — `/trpc` and the OpenAPI/REST bridge — must use this, so
 * they authenticate and limit identically.
 *
 * Bad credentials (expired, tampered, revoked, unknown key) do not fail the request here: they are kept
 * as `authError`, and the procedure ladder answers any non-public procedure with that error (401, or
 * 503 when the session store is down). Public procedures run anonymously, so a client holding an
 * expired access token can still call `auth.refresh` or read public data.
 */
import type { Services } from '../services.ts';
import { type AuthFailure, type Context, createContextInner } from '../trpc/context.ts';
import { authenticate } from './authenticate.ts';
import { resolveClientIp } from './client-ip.ts';
import { AuthError } from './errors.ts';

export interface RequestContextInit {
  request: Request;
  /** The socket peer's address (`server.requestIP(request)`), null in in-process tests. */
  ip: string | null;
  resHeaders: Headers | null;
}

function toFailure(error: AuthError): AuthFailure {
  return error.code === 'session_store_unavailable'
    ? { code: 'SERVICE_UNAVAILABLE', message: error.message }
    : { code: 'UNAUTHORIZED', message: error.message };
}

export async function createRequestContext(
  services: Services,
  { request, ip, resHeaders }: RequestContextInit,
): Promise<Context> {
  let principal: Context['principal'] = null;
  let authError: AuthFailure | null = null;
  try {
    principal = await authenticate(services, request.headers);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    authError = toFailure(error);
  }
  return createContextInner({
    services,
    principal,
    authError,
    ip: resolveClientIp(request.headers, ip, services.config.trustedProxies),
    userAgent: request.headers.get('user-agent'),
    requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(),
    resHeaders,
  });
}
