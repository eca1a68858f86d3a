/** Maps the prediction domain's typed errors to tRPC errors, in one exhaustive switch. */
import { PredictionError } from '@f1/db/predictions/errors';
import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { z } from 'zod';

const CODES: Record<PredictionError['code'], TRPC_ERROR_CODE_KEY> = {
  INVALID: 'BAD_REQUEST',
  RACE_NOT_FOUND: 'NOT_FOUND',
  FROZEN: 'PRECONDITION_FAILED',
  ENTRY_LIST_UNKNOWN: 'PRECONDITION_FAILED',
  IDEMPOTENCY_CONFLICT: 'CONFLICT',
  RESERVED_MODEL: 'FORBIDDEN',
};

/** Rethrows a PredictionError as a TRPCError; other errors pass through untouched. */
export function toTrpcError(error: unknown): unknown {
  if (!(error instanceof PredictionError)) return error;
  // A ZodError cause makes the error formatter attach field errors, as for schema violations. It is
  // built through a parse because a directly constructed zod 4 ZodError is not an Error instance.
  const cause =
    error.issues.length > 0
      ? z
          .unknown()
          .superRefine((_, ctx) => {
            for (const issue of error.issues)
              ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
          })
          .safeParse(null).error
      : error;
  return new TRPCError({ code: CODES[error.code], message: error.message, cause });
}

/** Runs `fn`, mapping domain errors at the edge. */
export async function mapPredictionErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toTrpcError(error);
  }
}
