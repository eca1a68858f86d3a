import { z } from 'zod';
import { overallHealth } from '../health.ts';
import { publicProcedure } from '../trpc/init.ts';

const HealthOutput = z.object({
  status: z.enum(['ok', 'degraded', 'unhealthy']),
  database: z.enum(['ok', 'down']),
  redis: z.enum(['ok', 'down', 'not_configured']),
  time: z.date(),
});

/** Overall status, as /health reports it, through the whole tRPC path (superjson Date included). */
export const healthProcedure = publicProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/health',
      tags: ['health'],
      summary: 'Overall service health',
    },
  })
  .output(HealthOutput)
  .query(async ({ ctx }) => {
    const health = await overallHealth(ctx.services);
    return {
      status: health.status,
      database: health.database.status,
      redis: health.redis.status,
      time: new Date(),
    };
  });
