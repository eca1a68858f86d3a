/**
 * `admin.*`: ingestion triggers, the audit log, and user management. Disabling a user or changing
 * their role ends their sessions, so the change applies at once rather than when tokens expire.
 */
import { listAuditEntries } from '@f1/db/auth/audit';
import { listUsers, UserError, updateUser } from '@f1/db/auth/users';
import { enqueueIngestionRun, INGESTION_RUN_KINDS, IngestionRunError } from '@f1/db/ingestion/runs';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { RowId } from '../schemas/row-id.ts';
import { text } from '../schemas/text.ts';
import { timestamp } from '../schemas/timestamp.ts';
import { adminProcedure, router } from '../trpc/init.ts';
import { RoleSchema, UserOutput } from './auth-schemas.ts';

const AuditOutput = z.object({
  id: z.number().int(),
  occurredAt: z.date(),
  userId: z.number().int().nullable(),
  apiKeyId: z.number().int().nullable(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied', 'error']),
  ip: z.string().nullable(),
  inputHash: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

const RunOutput = z.object({
  id: z.number().int(),
  kind: z.enum(INGESTION_RUN_KINDS),
  season: z.number().int().nullable(),
  round: z.number().int().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  requestedBy: z.string(),
  createdAt: z.date(),
});

const usersRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/users',
        tags: ['admin'],
        summary: 'Users, newest first',
      },
    })
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          cursor: RowId.optional(),
        })
        .default({ limit: 100 }),
    )
    .output(z.object({ items: z.array(UserOutput), nextCursor: z.number().int().nullable() }))
    .query(async ({ ctx, input }) => {
      const items = await listUsers(ctx.services.db, { limit: input.limit, cursor: input.cursor });
      return {
        items,
        nextCursor: items.length === input.limit ? (items.at(-1)?.id ?? null) : null,
      };
    }),

  update: adminProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/admin/users/{id}',
        tags: ['admin'],
        summary: 'Change a role or disable a user',
      },
    })
    .input(
      z
        .object({
          id: RowId,
          role: RoleSchema.optional(),
          disabled: z.boolean().optional(),
        })
        .refine((i) => i.role !== undefined || i.disabled !== undefined, {
          message: 'give a role or disabled',
        }),
    )
    .output(z.object({ user: UserOutput, sessionsRevoked: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const user = await updateUser(ctx.services.db, input).catch((error: unknown) => {
        if (error instanceof UserError)
          throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
        throw error;
      });
      const sessionsRevoked = await ctx.services.sessions.revokeAll(user.id);
      ctx.audit.set({
        detail: { targetUserId: user.id, role: input.role, disabled: input.disabled },
      });
      return { user, sessionsRevoked };
    }),
});

export const adminRouter = router({
  /** Queues an ingestion run for the job runner: a whole season, or one round's results. */
  ingest: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/ingest',
        tags: ['admin'],
        summary: 'Queue an ingestion run',
      },
    })
    .input(
      z.object({
        season: z.number().int().min(1950).max(2100),
        round: z.number().int().min(1).max(99).optional(),
        /** Defaults to `race` with a round, `season` without. */
        kind: z.enum(INGESTION_RUN_KINDS).optional(),
      }),
    )
    .output(z.object({ run: RunOutput, created: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const kind = input.kind ?? (input.round ? 'race' : 'season');
      const requestedBy = `${ctx.principal.kind === 'user' ? 'user' : 'api_key'}:${ctx.principal.id}`;
      try {
        const { run, created } = await enqueueIngestionRun(ctx.services.db, {
          kind,
          season: input.season,
          round: input.round,
          requestedBy,
        });
        ctx.audit.set({ detail: { runId: run.id, kind, created } });
        return { run, created };
      } catch (error) {
        if (error instanceof IngestionRunError) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
        }
        throw error;
      }
    }),

  /** The audit log, newest first; pass `nextCursor` back as `cursor` for older entries. */
  audit: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/audit',
        tags: ['admin'],
        summary: 'The audit log, newest first',
      },
    })
    .input(
      z.object({
        since: timestamp().optional(),
        userId: RowId.optional(),
        action: text().max(200).optional(),
        limit: z.number().int().min(1).max(500).default(50),
        cursor: z.number().int().positive().optional(),
      }),
    )
    .output(z.object({ items: z.array(AuditOutput), nextCursor: z.number().int().nullable() }))
    .query(({ ctx, input }) => listAuditEntries(ctx.services.db, input)),

  users: usersRouter,
});
