/**
 * Types people annotate their code with, all derived from the server's router so they cannot drift:
 * what a procedure takes (`RouterInputs`) and what it returns after superjson (`RouterOutputs`,
 * with real `Date`s).
 */

import type { AppRouter } from '@f1/server';
import type { TRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type { AppRouter };

/** The typed client `createF1Client` returns: `client.<router>.<procedure>.query|mutate|subscribe`. */
export type F1Client = TRPCClient<AppRouter>;

/** Inputs of every procedure, e.g. `RouterInputs['health']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;

/** Outputs of every procedure as the client receives them, e.g. `RouterOutputs['health']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Any error a call can reject with: `code`, `message`, HTTP status and zod field errors on `data`. */
export type F1ClientError = TRPCClientError<AppRouter>;

/** The server's overall health, as `client.health.query()` returns it. */
export type HealthStatus = RouterOutputs['health'];
