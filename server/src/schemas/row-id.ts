/**
 * Numbers that address PostgreSQL `integer` columns: user and API-key ids, and the numbers inside
 * paging cursors. `z.number().int()` accepts up to 2^53; anything past 2^31 - 1 made PostgreSQL fail
 * the query ("out of range for type integer"), a 500 instead of a 400 naming the field.
 */
import { z } from 'zod';

export const PG_INTEGER_MAX = 2_147_483_647;

/** An id of a row whose key is an `integer` identity (users, api_keys). */
export const RowId = z.number().int().positive().max(PG_INTEGER_MAX);

/** Any value an `integer` column holds. */
export const pgInteger = () =>
  z
    .number()
    .int()
    .min(-PG_INTEGER_MAX - 1)
    .max(PG_INTEGER_MAX);
