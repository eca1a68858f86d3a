/**
 * Audit rows for procedure calls. The base procedure gives every call an `AuditHandle` (`ctx.audit`)
 * and, when the call was a mutation — or the procedure touched the handle — writes one row after it
 * finishes: who (user or API key), what (the procedure path, or an action the procedure chose), when,
 * the outcome, the client IP and the redacted input hash. Procedures enrich the row through the
 * handle, e.g. `auth.login` names the user it logged in.
 */
import { insertAuditEntry } from '@f1/db/auth/audit';
import type { AuditOutcome } from '@f1/db/schema';
import type { TRPCError } from '@trpc/server';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { digestInput } from './redact.ts';

export interface AuditFields {
  /** The acting user when there is no principal yet (login, register, refresh). */
  userId?: number;
  /** A more specific action than the procedure path (e.g. `auth.refresh.reuse`). */
  action?: string;
  outcome?: AuditOutcome;
  /** Ids and reasons only — never secrets. */
  detail?: Record<string, unknown>;
}

export class AuditHandle {
  fields: AuditFields = {};
  touched = false;

  /** Adds to this call's audit row (and makes a query call write one). */
  set(fields: AuditFields): void {
    this.fields = {
      ...this.fields,
      ...fields,
      detail: { ...this.fields.detail, ...fields.detail },
    };
    this.touched = true;
  }
}

function outcomeOf(error: TRPCError | undefined): AuditOutcome {
  if (!error) return 'success';
  switch (error.code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
    case 'TOO_MANY_REQUESTS':
      return 'denied';
    case 'INTERNAL_SERVER_ERROR':
    case 'SERVICE_UNAVAILABLE':
    case 'BAD_GATEWAY':
    case 'GATEWAY_TIMEOUT':
    case 'NOT_IMPLEMENTED':
      return 'error';
    default:
      return 'failure';
  }
}

export interface AuditedCall {
  ctx: { services: Services; principal: Principal | null; ip: string | null };
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  getRawInput: () => Promise<unknown>;
  audit: AuditHandle;
  result: { ok: boolean; error?: TRPCError };
}

/** Why the row's input hash is missing or partial (`detail.input`); absent when it is whole. */
export type InputNote = 'truncated' | 'unreadable' | 'unhashable';

/** The input's hash, never throwing: an input that cannot be read or hashed is noted, not fatal. */
async function digestOf(
  getRawInput: () => Promise<unknown>,
): Promise<{ hash: string | null; note?: InputNote }> {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    return { hash: null, note: 'unreadable' }; // e.g. malformed superjson: the call fails on it too
  }
  try {
    const { hash, truncated } = digestInput(raw);
    return truncated ? { hash, note: 'truncated' } : { hash };
  } catch {
    return { hash: null, note: 'unhashable' };
  }
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * Writes the call's audit row if it needs one. Whatever the input held, the row is written: when the
 * full row cannot be stored, a second try stores the event without its detail, marked
 * `detail.audit = 'fallback'`. Only a database that refuses both is logged instead; the call itself
 * never fails for its audit row.
 */
export async function recordAudit(call: AuditedCall): Promise<void> {
  const { ctx, audit } = call;
  if (call.type !== 'mutation' && !audit.touched) return;
  const { principal } = ctx;
  const { fields } = audit;
  const error = call.result.ok ? undefined : call.result.error;
  const action = fields.action ?? call.path;
  const input = await digestOf(call.getRawInput);
  const errorDetail = error ? { error: error.code } : {};
  const entry = {
    userId: principal?.kind === 'user' ? principal.id : (fields.userId ?? null),
    apiKeyId: principal?.kind === 'api_key' ? principal.id : null,
    action,
    outcome: fields.outcome ?? outcomeOf(error),
    ip: ctx.ip,
    inputHash: input.hash,
  };
  const { db, logger } = ctx.services;
  try {
    const detail = {
      ...fields.detail,
      ...errorDetail,
      ...(input.note ? { input: input.note } : {}),
    };
    await insertAuditEntry(db, { ...entry, detail });
    return;
  } catch (cause) {
    logger.warn('audit log write failed; storing the event without its detail', {
      action,
      error: messageOf(cause),
    });
  }
  try {
    await insertAuditEntry(db, { ...entry, detail: { ...errorDetail, audit: 'fallback' } });
  } catch (cause) {
    logger.error('audit log write failed', { action, error: messageOf(cause) });
  }
}
