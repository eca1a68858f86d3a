/**
 * The tRPC entry point: the only file that touches `initTRPC`. It exports procedure builders, never `t`.
 *
 * 1. Meta: per-procedure settings read by the HTTP layer (edge-cache policy) and by tests (access level).
 * 2. initTRPC with superjson's wire format (Dates survive the wire; wire.ts is its fast path) and one
 *    error formatter that adds the flattened zod error to BAD_REQUEST responses. Stack traces never
 *    leave the server (`isDev: false`).
 * 3. The procedure ladder: public → authed → service → admin. Each rung narrows the context, so
 *    `ctx.principal` is non-null by type in authed procedures and below.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { AuditHandle, recordAudit } from '../audit/audit-trail.ts';
import type { BodyLimitPreset } from '../http/body-limit.ts';
import { DATABASE_UNAVAILABLE_MESSAGE, databaseRetryAfter } from '../http/database-unavailable.ts';
import type { OpenApiOperation } from '../openapi/meta.ts';
import { enforceRateLimit, type RateLimitPreset } from '../rate-limit/middleware.ts';
import { Services } from '../services.ts';
import { clientMessage } from './client-message.ts';
import type { Context } from './context.ts';
import { wireTransformer } from './wire.ts';

export type Access = 'public' | 'user' | 'ml_service' | 'admin';

export interface Meta {
  /** Who may call it; set by the procedure builders below, asserted by the access-table test. */
  access?: Access;
  /** Edge-cache policy for GET queries; absent means `no-store`. */
  cache?: { sMaxAge: number; staleWhileRevalidate?: number };
  /**
   * Rate-limit preset (see `rate-limit/policies.ts`); absent means the default per-principal limit.
   * `mlBatch` is for prediction submission by ML services.
   */
  rateLimit?: RateLimitPreset;
  /** Request-body limit preset (see `http/body-limit.ts`); absent means the default (1 MiB). */
  bodyLimit?: BodyLimitPreset;
  /** Exposes the procedure over REST under /api/v1 (see server/src/openapi/). */
  openapi?: OpenApiOperation;
}

/** Input problems on a BAD_REQUEST (`error.data.zodError`), typed by field name for clients. */
export interface ZodErrorData {
  formErrors: string[];
  fieldErrors: Record<string, string[] | undefined>;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: wireTransformer,
    isDev: false,
    // SSE subscriptions: a comment line every 15 s keeps idle streams open through proxies, and clients
    // reconnect when they hear nothing for 30 s.
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 30_000 },
    },
    errorFormatter({ shape, error }) {
      // An unreachable database is the client's cue to retry, not a server fault (Retry-After: trpc.ts).
      if (databaseRetryAfter(error) !== null) {
        return {
          ...shape,
          code: TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
          message: DATABASE_UNAVAILABLE_MESSAGE,
          data: {
            ...shape.data,
            code: 'SERVICE_UNAVAILABLE' as const,
            httpStatus: 503,
            zodError: null,
          },
        };
      }
      const zodError: ZodErrorData | null =
        error.code === 'BAD_REQUEST' && error.cause instanceof z.ZodError
          ? z.flattenError(error.cause)
          : null;
      return {
        ...shape,
        message: clientMessage(error, shape.message),
        data: { ...shape.data, zodError },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Narrows `ctx.services` from `unknown` to the server's `Services`. */
const withServices = t.middleware(({ ctx, next }) => {
  if (!(ctx.services instanceof Services)) {
    throw new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'server services are not configured',
    });
  }
  return next({ ctx: { services: ctx.services } });
});

/**
 * Every call, public or not: rate-limited (429 before any work), then audited (mutations, auth events,
 * and denials by the access checks below, which run inside this middleware).
 */
export const publicProcedure = t.procedure
  .meta({ access: 'public' })
  .use(withServices)
  .use(async (opts) => {
    await enforceRateLimit(opts);
    return opts.next();
  })
  .use(async (opts) => {
    const audit = new AuditHandle();
    const result = await opts.next({ ctx: { audit } });
    await recordAudit({ ...opts, audit, result });
    return result;
  });

const RANK: Record<Access, number> = { public: 0, user: 1, ml_service: 2, admin: 3 };

/** Requires a principal whose role ranks at least `access` (admin ⊇ ml_service ⊇ user). */
function requireAccess(access: Exclude<Access, 'public'>) {
  return t.middleware(({ ctx, next }) => {
    const { principal } = ctx;
    if (!principal) {
      // Credentials that were sent but refused say why (expired, revoked …); none at all is a plain 401.
      if (ctx.authError?.code === 'SERVICE_UNAVAILABLE') throw new TRPCError(ctx.authError);
      ctx.resHeaders?.set(
        'WWW-Authenticate',
        ctx.authError ? 'Bearer error="invalid_token"' : 'Bearer realm="f1-analytics"',
      );
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: ctx.authError?.message ?? 'authentication required',
      });
    }
    if (RANK[principal.role] < RANK[access]) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `requires the ${access} role` });
    }
    return next({ ctx: { principal } });
  });
}

export const authedProcedure = publicProcedure.meta({ access: 'user' }).use(requireAccess('user'));
export const serviceProcedure = publicProcedure
  .meta({ access: 'ml_service' })
  .use(requireAccess('ml_service'));
export const adminProcedure = publicProcedure.meta({ access: 'admin' }).use(requireAccess('admin'));
