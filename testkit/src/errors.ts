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
  /** The server-side error's cause (not enumerable: not part of `toEqual`). */
  readonly cause?: unknown;
}

interface ClientErrorData {
  code: string;
  httpStatus: number;
  zodError?: { fieldErrors: Record<string, string[]> } | null;
}

/** What a call is given as: the promise itself, or a function that makes it. */
export type Call = Promise<unknown> | (() => Promise<unknown>);

/**
 * The tRPC error `error` is, in the shape above; anything else is rethrown (a test bug, not a case).
 * A server-side TRPCError's `cause` (e.g. the ZodError) is attached non-enumerable, so `toEqual`
 * against `{ code, message }` still compares only those.
 */
export function caught(error: unknown): CaughtError {
  if (error instanceof TRPCError) {
    const result: CaughtError = { code: error.code, message: error.message };
    return Object.defineProperty(result, 'cause', { value: error.cause, enumerable: false });
  }
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
export async function settle(call: Call): Promise<CaughtError | null> {
  try {
    await (typeof call === 'function' ? call() : call);
    return null;
  } catch (error) {
    return caught(error);
  }
}

/** Runs `call` and returns the tRPC error it failed with (fails the test if it succeeded). */
export async function errorOf(call: Call): Promise<CaughtError> {
  const failure = await settle(call);
  if (!failure) throw new Error('expected the call to fail, but it succeeded');
  return failure;
}
