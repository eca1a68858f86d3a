/** Test helpers for the read routers: a server-side caller and error inspection. */
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import type { Services } from '../services.ts';
import { createContextInner } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';

const createCaller = createCallerFactory(appRouter);

/** Calls procedures directly (no HTTP), as an anonymous client. */
export function callerFor(services: Services) {
  return createCaller(createContextInner({ services }));
}

export interface CaughtError {
  code: string;
  message: string;
  /** The flattened zod error of a BAD_REQUEST over HTTP. */
  fieldErrors?: Record<string, string[]>;
  httpStatus?: number;
}

/** Runs `call` and returns the tRPC error it failed with (fails the test if it succeeded). */
export async function errorOf(call: () => Promise<unknown>): Promise<CaughtError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    if (error instanceof TRPCClientError) {
      const data = error.data as {
        code: string;
        httpStatus: number;
        zodError: { fieldErrors: Record<string, string[]> } | null;
      };
      return {
        code: data.code,
        message: error.message,
        httpStatus: data.httpStatus,
        fieldErrors: data.zodError?.fieldErrors,
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
