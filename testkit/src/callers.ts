/**
 * The one server-side caller of the app router (no HTTP) and the principals tests call it as: an
 * anonymous client, a user with a session, an API key of a role.
 */
import type { Role } from '@f1/db/schema';
import type { Services } from '@f1/server/services';
import { createContextInner, type Principal } from '@f1/server/trpc/context';
import { createCallerFactory } from '@f1/server/trpc/init';
import { appRouter } from '@f1/server/trpc/router';

const createCaller = createCallerFactory(appRouter);

/**
 * Calls procedures directly, as `principal` (anonymous when omitted), from `ip` when given; `signal`
 * ends subscriptions.
 */
export function callerFor(
  services: Services,
  principal: Principal | null = null,
  options: { signal?: AbortSignal; ip?: string } = {},
) {
  const context = createContextInner({ services, principal, ip: options.ip ?? null });
  return createCaller(context, options.signal ? { signal: options.signal } : {});
}

/** An API key principal (the ML service by default). */
export function apiKeyPrincipal(id: number, role: Role = 'ml_service'): Principal {
  return { kind: 'api_key', id, role };
}

/** A signed-in user principal with session `sessionId`. */
export function userPrincipal(id: number, role: Role = 'user', sessionId = 's'): Principal {
  return { kind: 'user', id, role, sessionId };
}
