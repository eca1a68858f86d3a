/** `circuits.list`, `circuits.get`. */
import { getCircuit, listCircuits } from '@f1/db/entities/circuits';
import { z } from 'zod';
import { toCircuit } from '../mappers/entities.ts';
import {
  CIRCUITS_PAGE,
  Circuit,
  CircuitIdInput,
  CircuitPage,
  CircuitsListInput,
} from '../schemas/circuits.ts';
import { text } from '../schemas/text.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';
import { decodeCursor, toPage } from './paging.ts';

const CircuitKey = z.tuple([text(), text()]);

export const circuitsRouter = router({
  list: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: {
        method: 'GET',
        path: '/circuits',
        tags: ['circuits'],
        summary: 'Circuits, by name (paged)',
      },
    })
    .input(CircuitsListInput)
    .output(CircuitPage)
    .query(({ ctx, input }) => {
      const cursor = input?.cursor;
      const limit = input?.limit ?? CIRCUITS_PAGE.fallback;
      const after = cursor ? decodeCursor('circuits.list', cursor, CircuitKey) : undefined;
      const key = cacheKey('circuits.list', { limit, cursor });
      return cached(ctx, { key, tags: ['circuits'], ttl: TTL.reference }, async () => {
        const rows = await listCircuits(ctx.services.db, {
          limit: limit + 1,
          after: after && { name: after[0], circuitRef: after[1] },
        });
        return toPage(rows, {
          limit,
          list: 'circuits.list',
          key: (row) => [row.name, row.circuit_ref],
          map: toCircuit,
        });
      });
    }),

  get: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: {
        method: 'GET',
        path: '/circuits/{circuitId}',
        tags: ['circuits'],
        summary: 'One circuit',
      },
    })
    .input(CircuitIdInput)
    .output(Circuit)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('circuits.get', input), tags: ['circuits'], ttl: TTL.reference },
        async () => {
          const row = await getCircuit(ctx.services.db, input.circuitId);
          if (!row) throw notFound(`circuit "${input.circuitId}"`);
          return toCircuit(row);
        },
      ),
    ),
});
