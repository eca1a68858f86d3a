/**
 * A probe router for the bridge's own tests: one procedure per case the bridge must get right (path
 * parameters, query coercion, JSON bodies, access levels, errors thrown by procedures, headers set by
 * procedures), built with the server's real procedure ladder.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router, serviceProcedure } from '../trpc/init.ts';

export const ProbeDriver = z
  .object({ driverId: z.string(), name: z.string(), born: z.date() })
  .meta({ id: 'ProbeDriver' });

export const probeRouter = router({
  driver: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/drivers/{driverId}', tags: ['drivers'] },
      cache: { sMaxAge: 60, staleWhileRevalidate: 600 },
    })
    .input(z.object({ driverId: z.string().min(1) }))
    .output(ProbeDriver)
    .query(({ input }) => {
      if (input.driverId === 'nobody')
        throw new TRPCError({ code: 'NOT_FOUND', message: `no driver '${input.driverId}'` });
      return { driverId: input.driverId, name: 'Max', born: new Date('1997-09-30T00:00:00Z') };
    }),
  results: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/seasons/{season}/races/{round}/results', tags: ['races'] },
    })
    .input(
      z.object({
        season: z.number().int().min(1950),
        round: z.number().int().min(1),
        limit: z.number().int().max(100).optional(),
      }),
    )
    .output(z.object({ season: z.number(), round: z.number(), limit: z.number().nullable() }))
    .query(({ input, ctx }) => {
      ctx.resHeaders?.set('RateLimit-Remaining', '41');
      return { season: input.season, round: input.round, limit: input.limit ?? null };
    }),
  submit: serviceProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/predictions',
        tags: ['predictions'],
        errorResponses: [409, 999],
      },
    })
    .input(z.object({ raceId: z.number().int(), picks: z.array(z.string()).min(1) }))
    .output(z.object({ accepted: z.number(), by: z.number() }))
    .mutation(({ input, ctx }) => ({ accepted: input.picks.length, by: ctx.principal.id })),
  me: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/me' } })
    .output(z.object({ id: z.number() }))
    .query(({ ctx }) => ({ id: ctx.principal.id })),
  hidden: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/hidden', enabled: false } })
    .output(z.string())
    .query(() => 'hidden'),
  rpcOnly: publicProcedure.query(() => 'tRPC only'),
});
