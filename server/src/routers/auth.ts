/**
 * `auth.*`: register, login and refresh are public, with strict per-IP and per-account limits that
 * fail closed when Redis is down; the rest concern the caller's own account and sessions.
 * Every outcome lands in the audit log (the base procedure writes the row; these add who and why).
 */
import { findApiKey } from '@f1/db/auth/api-keys';
import { findUserById } from '@f1/db/auth/users';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { login, refresh, register, type TokenPair } from '../auth/accounts.ts';
import { AuthError } from '../auth/errors.ts';
import { SessionStoreUnavailableError } from '../auth/session-store.ts';
import { toTRPCError } from '../auth/trpc-errors.ts';
import { text } from '../schemas/text.ts';
import type { Principal } from '../trpc/context.ts';
import { authedProcedure, publicProcedure, router } from '../trpc/init.ts';
import { ApiKeyOutput, Email, SessionOutput, TokenOutput, UserOutput } from './auth-schemas.ts';

/** The password policy checks length in characters and bytes; this only bounds the request size. */
const Password = text().min(1).max(1024);

const tokens = (pair: TokenPair) => ({ ...pair, tokenType: 'Bearer' as const });

/** Maps auth-domain errors and session-store outages to tRPC errors. */
function edge(error: unknown): never {
  if (error instanceof SessionStoreUnavailableError) {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'session store unavailable' });
  }
  throw toTRPCError(error);
}

/** Sessions belong to users; an API key has none. */
function userOf(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'API keys have no sessions; revoke the key instead',
    });
  }
  return principal;
}

export const authRouter = router({
  register: publicProcedure
    .meta({
      rateLimit: 'register',
      openapi: {
        method: 'POST',
        path: '/auth/register',
        tags: ['auth'],
        summary: 'Create an account and log in',
      },
    })
    .input(
      z.object({
        email: Email,
        password: Password,
        name: text().trim().min(1).max(100).optional(),
      }),
    )
    .output(TokenOutput)
    .mutation(async ({ ctx, input }) => {
      const pair = await register(ctx.services, input, ctx).catch(edge);
      ctx.audit.set({ userId: pair.user.id, detail: { sessionId: pair.sessionId } });
      return tokens(pair);
    }),

  login: publicProcedure
    .meta({
      rateLimit: 'login',
      openapi: {
        method: 'POST',
        path: '/auth/login',
        tags: ['auth'],
        summary: 'Log in: access and refresh tokens',
      },
    })
    .input(z.object({ email: Email, password: Password }))
    .output(TokenOutput)
    .mutation(async ({ ctx, input }) => {
      try {
        const pair = await login(ctx.services, input, ctx);
        ctx.audit.set({ userId: pair.user.id, detail: { sessionId: pair.sessionId } });
        return tokens(pair);
      } catch (error) {
        if (error instanceof AuthError) {
          ctx.audit.set({ ...error.subject, outcome: 'failure', detail: { reason: error.code } });
        }
        return edge(error);
      }
    }),

  refresh: publicProcedure
    .meta({
      rateLimit: 'authRefresh',
      openapi: {
        method: 'POST',
        path: '/auth/refresh',
        tags: ['auth'],
        summary: 'Exchange a refresh token (rotated)',
      },
    })
    .input(z.object({ refreshToken: text().min(1).max(512) }))
    .output(TokenOutput)
    .mutation(async ({ ctx, input }) => {
      try {
        const pair = await refresh(ctx.services, input.refreshToken, ctx);
        ctx.audit.set({ userId: pair.user.id, detail: { sessionId: pair.sessionId } });
        return tokens(pair);
      } catch (error) {
        if (error instanceof AuthError && error.code === 'refresh_token_reused') {
          ctx.audit.set({
            userId: error.subject.userId,
            action: 'auth.refresh.reuse',
            outcome: 'denied',
            detail: { sessionId: error.subject.sessionId, sessionRevoked: true },
          });
        }
        return edge(error);
      }
    }),

  /** Ends the current session, or another of the caller's sessions by id. */
  logout: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'End a session' },
    })
    .input(z.object({ sessionId: text().min(1).max(100).optional() }).optional())
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const user = userOf(ctx.principal);
      const sessionId = input?.sessionId ?? user.sessionId;
      const revoked = await ctx.services.sessions.revoke(user.id, sessionId).catch(edge);
      if (!revoked) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such session' });
      ctx.audit.set({ detail: { sessionId } });
      return { revoked: true as const };
    }),

  /** Ends every session of the caller, this one included. */
  logoutAll: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/logout-all',
        tags: ['auth'],
        summary: 'End every session',
      },
    })
    .output(z.object({ revoked: z.number().int() }))
    .mutation(async ({ ctx }) => {
      const user = userOf(ctx.principal);
      const revoked = await ctx.services.sessions.revokeAll(user.id).catch(edge);
      ctx.audit.set({ detail: { revoked } });
      return { revoked };
    }),

  /** Who the caller is: their account, or the API key they authenticate with. */
  me: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/auth/me',
        tags: ['auth'],
        summary: 'The caller: account or API key',
      },
    })
    .output(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('user'), sessionId: z.string(), user: UserOutput }),
        z.object({ kind: z.literal('api_key'), apiKey: ApiKeyOutput }),
      ]),
    )
    .query(async ({ ctx }) => {
      const { principal } = ctx;
      if (principal.kind === 'api_key') {
        const apiKey = await findApiKey(ctx.services.db, principal.id);
        if (!apiKey) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'API key not found' });
        return { kind: 'api_key' as const, apiKey };
      }
      const user = await findUserById(ctx.services.db, principal.id);
      if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'account not found' });
      return { kind: 'user' as const, sessionId: principal.sessionId, user };
    }),

  /** The caller's live sessions, most recently used first. */
  sessions: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/auth/sessions',
        tags: ['auth'],
        summary: "The caller's sessions",
      },
    })
    .output(z.array(SessionOutput))
    .query(async ({ ctx }) => {
      const user = userOf(ctx.principal);
      const sessions = await ctx.services.sessions.list(user.id).catch(edge);
      return sessions.map((session) => ({ ...session, current: session.id === user.sessionId }));
    }),
});
