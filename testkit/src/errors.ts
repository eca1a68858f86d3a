/**
 * The error a tRPC call failed with, from a server-side caller (TRPCError) or a client over HTTP
 * (TRPCClientError), in one shape tests assert on: code, message, HTTP status, zod field errors.
 */
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';

export interface CaughtError {
  code: string;
  message: string;
  /** The flattened zod error of a BAD_REQUEST over HTTP. */
  fieldErrors?: Record<string, string[]>;
  httpStatus?: number;
}

interface ClientErrorData {
  code: string;
  httpStatus: number;
  zodError?: { fieldErrors: Record<string, string[]> } | null;
}

/** The tRPC error `error` is, in the shape above; anything else is rethrown (a test bug, not a case). */
export function caught(error: unknown): CaughtError {
  if (error instanceof TRPCError) return { code: error.code, message: error.message };
  if (error instanceof TRPCClientError) {
    const data = error.data as ClientErrorData;
    return {
      code: data.code,
      message: error.message,
      httpStatus: data.httpStatus,
      fieldErrors: data.zodError?.fieldErrors,
    };
  }
  throw error;
}

/** Runs `call`: null when it succeeded, else the tRPC error it failed with. */
export async function settle(call: () => Promise<unknown>): Promise<CaughtError | null> {
  try {
    await call();
    return null;
  } catch (error) {
    return caught(error);
  }
}

/** Runs `call` and returns the tRPC error it failed with (fails the test if it succeeded). */
export async function errorOf(call: () => Promise<unknown>): Promise<CaughtError> {
  const failure = await settle(call);
  if (!failure) throw new Error('expected the call to fail, but it succeeded');
  return failure;
}
