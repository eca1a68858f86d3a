/**
 * The tRPC context, in two layers (as in the tRPC starters):
 * - `createContextInner` is pure and takes everything explicitly, so tests build a context without HTTP;
 * - `createRequestContext` adapts an HTTP request to it.
 *
 * The context type is deliberately small and structural: it is part of the public `AppRouter` type that
 * the SDK publishes. Server services travel as `unknown` and are narrowed by the base procedure.
 */
import type { Role } from '@f1/db/schema';

/** Who is calling: a logged-in user (with a session) or an API key (for ML services). */
export type Principal =
  | { kind: 'user'; id: number; role: Role; sessionId: string }
  | { kind: 'api_key'; id: number; role: Role };

/** How a principal is recorded in `prediction_sets.submitted_by` (idempotency keys are scoped to it). */
export function submitterOf(principal: Principal): string {
  return `${principal.kind === 'api_key' ? 'key' : 'user'}:${principal.id}`;
}

/** Credentials were sent but refused; non-public procedures answer with this error. */
export interface AuthFailure {
  code: 'UNAUTHORIZED' | 'SERVICE_UNAVAILABLE';
  message: string;
}

export interface Context {
  /** A `Services` instance; typed `unknown` here to keep server types out of the public router type. */
  services: unknown;
  principal: Principal | null;
  /** Set when the request carried credentials that failed (the principal is then null). */
  authError: AuthFailure | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** Response headers a procedure may add to (rate-limit headers, for instance). */
  resHeaders: Headers | null;
  /**
   * Rate limits the HTTP layer counted before reading the body (a rate-limit `Admission`); typed
   * `unknown` like `services`, null when the calls count for themselves.
   */
  admission: unknown;
}

export interface ContextInit {
  services: unknown;
  principal?: Principal | null;
  authError?: AuthFailure | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string;
  resHeaders?: Headers | null;
  admission?: unknown;
}

export function createContextInner(init: ContextInit): Context {
  return {
    services: init.services,
    principal: init.principal ?? null,
    authError: init.authError ?? null,
    ip: init.ip ?? null,
    userAgent: init.userAgent ?? null,
    requestId: init.requestId ?? crypto.randomUUID(),
    resHeaders: init.resHeaders ?? null,
    admission: init.admission ?? null,
  };
}
