/**
 * `apiKeys.*` (admin): keys for ML services and other machine clients. A key is shown once, at
 * creation; afterwards only its prefix is visible. Revocation takes effect on the next request.
 */
import { listApiKeys, revokeApiKey } from '@f1/db/auth/api-keys';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { issueApiKey } from '../auth/api-keys.ts';
import { RowId } from '../schemas/row-id.ts';
import { label } from '../schemas/text.ts';
import { timestamp } from '../schemas/timestamp.ts';
import { adminProcedure, router } from '../trpc/init.ts';
import { ApiKeyOutput, RoleSchema } from './auth-schemas.ts';

export const apiKeysRouter = router({
  create: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api-keys',
        tags: ['api-keys'],
        summary: 'Create an API key (shown once)',
      },
    })
    .input(
      z.object({
        name: label().trim().min(1).max(100),
        role: RoleSchema.default('ml_service'),
        expiresAt: timestamp()
          .refine((d) => d.getTime() > Date.now(), 'expiresAt must be in the future')
          .optional(),
      }),
    )
    .output(z.object({ key: z.string(), apiKey: ApiKeyOutput }))
    .mutation(async ({ ctx, input }) => {
      const createdBy = ctx.principal.kind === 'user' ? ctx.principal.id : null;
      const issued = await issueApiKey(ctx.services.db, { ...input, createdBy });
      ctx.audit.set({
        detail: { apiKeyId: issued.apiKey.id, prefix: issued.apiKey.prefix, role: input.role },
      });
      return issued;
    }),

  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api-keys',
        tags: ['api-keys'],
        summary: 'Every API key (prefixes only)',
      },
    })
    .output(z.array(ApiKeyOutput))
    .query(({ ctx }) => listApiKeys(ctx.services.db)),

  revoke: adminProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/api-keys/{id}',
        tags: ['api-keys'],
        summary: 'Revoke an API key',
      },
    })
    .input(z.object({ id: RowId }))
    .output(ApiKeyOutput)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeApiKey(ctx.services.db, input.id);
      if (!revoked)
        throw new TRPCError({ code: 'NOT_FOUND', message: `no API key with id ${input.id}` });
      ctx.services.apiKeyCache.forget(revoked.id);
      ctx.audit.set({ detail: { apiKeyId: revoked.id, prefix: revoked.prefix } });
      return revoked;
    }),
});
