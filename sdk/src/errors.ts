/**
 * Typed errors. Every failed call rejects with a `TRPCClientError<AppRouter>` whose `data` carries the
 * server's error shape; these helpers narrow an unknown `catch` value to it and flatten what callers
 * usually need.
 */
import { TRPCClientError } from '@trpc/client';
import type { F1ClientError } from './types.ts';

/** True for an error from an F1 API call (narrows `unknown` from a `catch` block). */
export function isF1ClientError(cause: unknown): cause is F1ClientError {
  return cause instanceof TRPCClientError;
}

/** What went wrong, in one flat object. */
export interface F1ErrorDetails {
  /** tRPC error code: `BAD_REQUEST`, `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `TOO_MANY_REQUESTS`, … */
  code: string;
  message: string;
  /** The HTTP status the server answered with, when the call reached it. */
  httpStatus: number | null;
  /** Input problems by field name (`{ season: ['Too small: expected number to be >=1950'] }`). */
  fieldErrors: Record<string, string[] | undefined>;
  /** Input problems not tied to a field. */
  formErrors: string[];
}

/** The HTTP status of a response that was not a tRPC answer (a proxy's 502, a wrong base URL's 404). */
function responseStatus(meta: Record<string, unknown> | undefined): number | null {
  const response = meta?.response;
  // Duck-typed: a custom fetch (undici, a polyfill) may return a Response of another realm.
  if (typeof response !== 'object' || response === null || !('status' in response)) return null;
  return typeof response.status === 'number' ? response.status : null;
}

/** Flattens any thrown value into `F1ErrorDetails` (network failures get the code `CLIENT_ERROR`). */
export function errorDetails(cause: unknown): F1ErrorDetails {
  if (isF1ClientError(cause)) {
    const zod = cause.data?.zodError ?? null;
    return {
      code: cause.data?.code ?? 'CLIENT_ERROR',
      message: cause.message,
      httpStatus: cause.data?.httpStatus ?? responseStatus(cause.meta),
      fieldErrors: zod?.fieldErrors ?? {},
      formErrors: zod?.formErrors ?? [],
    };
  }
  return {
    code: 'CLIENT_ERROR',
    message: cause instanceof Error ? cause.message : String(cause),
    httpStatus: null,
    fieldErrors: {},
    formErrors: [],
  };
}
