/**
 * Applies rate limits to every procedure call (it runs in the base procedure, so tRPC and the REST
 * bridge are both covered). The procedure's `meta.rateLimit` preset picks the policies; the headers of
 * the most constraining check are written to the response, and a refusal is a 429 TOO_MANY_REQUESTS
 * with `Retry-After`.
 *
 * Over HTTP the caller-keyed checks were already counted before the body was read (admission.ts): the
 * call settles that outcome and only counts what needs the input (the per-account login limit).
 */
import { TRPCError } from '@trpc/server';
import { noteRefusal } from '../audit/refusals.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { Admission } from './admission.ts';
import { accountCheck, callerChecks, type RateLimitPreset, runChecks, settle } from './checks.ts';

export type { RateLimitPreset } from './checks.ts';

export interface RateLimitedCall {
  ctx: {
    services: Services;
    principal: Principal | null;
    ip: string | null;
    resHeaders: Headers | null;
    /** An `Admission` when the HTTP layer counted this request before reading its body. */
    admission?: unknown;
  };
  path: string;
  /** Mutations are audited, so a refused one is too (audit/refusals.ts). */
  type?: 'query' | 'mutation' | 'subscription';
  meta: { rateLimit?: RateLimitPreset } | undefined;
  getRawInput: () => Promise<unknown>;
}

/** Throws TOO_MANY_REQUESTS (or SERVICE_UNAVAILABLE when failing closed) instead of admitting a call. */
export async function enforceRateLimit(call: RateLimitedCall): Promise<void> {
  try {
    await enforce(call);
  } catch (error) {
    const { services, principal, ip } = call.ctx;
    if (
      error instanceof TRPCError &&
      error.code === 'TOO_MANY_REQUESTS' &&
      call.type === 'mutation'
    )
      noteRefusal(services, { principal, ip, action: call.path, refused: 'rate_limited' });
    throw error;
  }
}

async function enforce(call: RateLimitedCall): Promise<void> {
  const { services, resHeaders, admission } = call.ctx;
  const preset = call.meta?.rateLimit ?? 'default';
  const counted = admission instanceof Admission ? admission.take(call.path) : undefined;
  settle(
    counted ?? (await runChecks(services, callerChecks(services, call.ctx, preset))),
    resHeaders,
  );
  if (preset !== 'login') return;
  const account = accountCheck(services, await call.getRawInput().catch(() => null));
  if (account) settle(await runChecks(services, [account]), resHeaders);
}
