/**
 * The one error type of the auth domain. Routers and the request-context adapter map its codes to
 * `TRPCError`s (see `./trpc-errors.ts`); nothing here knows about HTTP.
 */
export type AuthErrorCode =
  /** Wrong email or password; deliberately one code for both (no account enumeration). */
  | 'invalid_credentials'
  | 'account_disabled'
  | 'email_taken'
  | 'weak_password'
  /** Missing, malformed, expired, tampered or wrongly signed access token. */
  | 'invalid_token'
  | 'session_revoked'
  | 'invalid_refresh_token'
  /** An already-used refresh token came back: the whole session was revoked. */
  | 'refresh_token_reused'
  | 'invalid_api_key'
  | 'unsupported_credentials'
  /** The session store (Redis) could not be reached: authentication fails closed. */
  | 'session_store_unavailable'
  | 'not_found';

/** Who an auth failure concerns, for the audit log (never shown to the client). */
export interface AuthSubject {
  userId?: number;
  sessionId?: string;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly subject: AuthSubject;
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options: { cause?: unknown; subject?: AuthSubject } = {},
  ) {
    super(message, { cause: options.cause });
    this.subject = options.subject ?? {};
  }
}
