/** The edge between the auth domain and tRPC: one exhaustive mapping of `AuthError` codes. */
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AuthError, type AuthErrorCode } from './errors.ts';

function trpcCode(code: AuthErrorCode): TRPC_ERROR_CODE_KEY {
  switch (code) {
    case 'invalid_credentials':
    case 'invalid_token':
    case 'session_revoked':
    case 'invalid_refresh_token':
    case 'refresh_token_reused':
    case 'invalid_api_key':
    case 'unsupported_credentials':
      return 'UNAUTHORIZED';
    case 'account_disabled':
      return 'FORBIDDEN';
    case 'email_taken':
      return 'CONFLICT';
    case 'weak_password':
      return 'BAD_REQUEST';
    case 'not_found':
      return 'NOT_FOUND';
    case 'session_store_unavailable':
      return 'SERVICE_UNAVAILABLE';
  }
}

/** Maps an `AuthError` to a `TRPCError` (keeping it as `cause`); anything else passes through. */
export function toTRPCError(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  return new TRPCError({ code: trpcCode(error.code), message: error.message, cause: error });
}
