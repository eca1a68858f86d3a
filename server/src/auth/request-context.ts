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
 *
 * The HTTP layer authenticates before reading the body (to rate-limit first, see rate-limit/admission.ts)
 * and passes that result and its admission in, so a request is authenticated once.
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
  /** The request's credentials, already checked (`authenticateRequest`); checked here when absent. */
  auth?: RequestAuth;
  /** The rate limits already counted for this request (a rate-limit `Admission`). */
  admission?: unknown;
}

/** Who sent a request: a principal, or the refusal of the credentials it carried. */
export interface RequestAuth {
  principal: Context['principal'];
  authError: AuthFailure | null;
}

function toFailure(error: AuthError): AuthFailure {
  return error.code === 'session_store_unavailable'
    ? { code: 'SERVICE_UNAVAILABLE', message: error.message }
    : { code: 'UNAUTHORIZED', message: error.message };
}

/** Checks the request's credentials; refused ones are an `authError`, never a throw. */
export async function authenticateRequest(
  services: Services,
  headers: Headers,
): Promise<RequestAuth> {
  try {
    return { principal: await authenticate(services, headers), authError: null };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return { principal: null, authError: toFailure(error) };
  }
}

/** The client IP a request counts as (the peer, or what trusted proxies say). */
export function requestIp(
  services: Services,
  request: Request,
  peer: string | null,
): string | null {
  return resolveClientIp(request.headers, peer, services.config.trustedProxies);
}

export async function createRequestContext(
  services: Services,
  { request, ip, resHeaders, auth, admission }: RequestContextInit,
): Promise<Context> {
  const { principal, authError } = auth ?? (await authenticateRequest(services, request.headers));
  return createContextInner({
    services,
    principal,
    authError,
    admission,
    ip: requestIp(services, request, ip),
    userAgent: request.headers.get('user-agent'),
    requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(),
    resHeaders,
  });
}
