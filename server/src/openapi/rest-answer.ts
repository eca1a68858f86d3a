/**
 * The answers the REST bridge builds itself: plain JSON, and every error in the one documented shape
 * (`{ code, message, issues? }`, errors.ts) with its status — a server fault says nothing more.
 */
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { closeUnread } from '../http/body-limit.ts';
import { DATABASE_UNAVAILABLE_MESSAGE, databaseRetryAfter } from '../http/database-unavailable.ts';
import type { Services } from '../services.ts';
import { clientMessage } from '../trpc/client-message.ts';
import type { RestError } from './errors.ts';

/** A request the bridge refuses itself (no route, wrong method, a body it cannot take). */
export class RestRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function jsonResponse(status: number, body: unknown, headers: Headers): Response {
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(body ?? null), { status, headers });
}

/** A thrown value as the documented error body and its status; server faults say nothing more. */
function toRestError(cause: unknown): { status: number; body: RestError } {
  if (cause instanceof RestRequestError)
    return { status: cause.status, body: { code: cause.code, message: cause.message } };
  if (databaseRetryAfter(cause) !== null)
    return {
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE },
    };
  const error =
    cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
  const status = getHTTPStatusCodeFromError(error);
  if (error.code === 'INTERNAL_SERVER_ERROR')
    return { status, body: { code: error.code, message: 'internal error' } };
  if (error.code === 'BAD_REQUEST' && error.cause instanceof z.ZodError) {
    const message = error.message.startsWith('[') ? 'Input validation failed' : error.message;
    return { status, body: { code: error.code, message, issues: error.cause.issues } };
  }
  return { status, body: { code: error.code, message: clientMessage(error, error.message) } };
}

/** The error answer for `cause` (logged when it is a server fault), with `resHeaders` kept. */
export function restErrorResponse(
  services: Services,
  cause: unknown,
  context: { request: Request; resHeaders: Headers; bodyRead: boolean; path: string },
): Response {
  const { request, resHeaders } = context;
  const { status, body } = toRestError(cause);
  const retryAfter = databaseRetryAfter(cause);
  if (retryAfter !== null) resHeaders.set('retry-after', String(retryAfter));
  // An unreachable database is logged once by the pool, not per request.
  else if (status >= 500 && !(cause instanceof RestRequestError)) {
    services.logger.error('REST operation failed', {
      path: context.path,
      error: cause instanceof Error ? (cause.cause ?? cause).toString() : String(cause),
    });
  }
  if (cause instanceof RestRequestError)
    for (const [name, value] of Object.entries(cause.headers)) resHeaders.set(name, value);
  // Answered with (part of) the body unread: close rather than read the rest (body-limit.ts).
  if (status === 413 || (!context.bodyRead && closeUnread(request)))
    resHeaders.set('connection', 'close');
  resHeaders.set('cache-control', 'no-store');
  return jsonResponse(status, body, resHeaders);
}
