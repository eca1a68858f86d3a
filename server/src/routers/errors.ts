import { TRPCError } from '@trpc/server';

/** NOT_FOUND whose message names what was asked for (`driver "max_verstapen" not found`). */
export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} not found` });
}
