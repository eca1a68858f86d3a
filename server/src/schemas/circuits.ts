import { z } from 'zod';
import { Cursor, PublicId, page, pageLimit } from './common.ts';

export const CIRCUITS_PAGE = { fallback: 50, max: 100 } as const;

export const Circuit = z
  .object({
    circuitId: PublicId,
    name: z.string(),
    locality: z.string().nullable(),
    country: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    altitude: z.number().nullable().describe('metres above sea level'),
    url: z.string().nullable(),
  })
  .meta({ id: 'Circuit' });
export type Circuit = z.infer<typeof Circuit>;

export const CircuitRef = z
  .object({
    circuitId: PublicId,
    name: z.string(),
    locality: z.string().nullable(),
    country: z.string().nullable(),
  })
  .meta({ id: 'CircuitRef' });

export const CircuitsListInput = z
  .strictObject({
    limit: pageLimit(CIRCUITS_PAGE.fallback, CIRCUITS_PAGE.max),
    cursor: Cursor.optional(),
  })
  .optional();
export const CircuitPage = page(Circuit, 'CircuitPage');

export const CircuitIdInput = z.strictObject({ circuitId: PublicId });
