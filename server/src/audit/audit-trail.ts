/**
 * Audit rows for procedure calls. The base procedure gives every call an `AuditHandle` (`ctx.audit`)
 * and, when the call was a mutation — or the procedure touched the handle — writes one row after it
 * finishes: who (user or API key), what (the procedure path, or an action the procedure chose), when,
 * the outcome, the client IP and the redacted input hash. Procedures enrich the row through the
 * handle, e.g. `auth.login` names the user it logged in.
 */
import { insertAuditEntry } from '@f1/db/queries/audit';
import type { AuditOutcome } from '@f1/db/schema';
import type { TRPCError } from '@trpc/server';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { inputHash } from './redact.ts';

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

/** Writes the call's audit row if it needs one. A failed write is logged, never fails the call. */
export async function recordAudit(call: AuditedCall): Promise<void> {
  const { ctx, audit } = call;
  if (call.type !== 'mutation' && !audit.touched) return;
  const { principal } = ctx;
  const { fields } = audit;
  const error = call.result.ok ? undefined : call.result.error;
  const action = fields.action ?? call.path;
  try {
    await insertAuditEntry(ctx.services.db, {
      userId: principal?.kind === 'user' ? principal.id : (fields.userId ?? null),
      apiKeyId: principal?.kind === 'api_key' ? principal.id : null,
      action,
      outcome: fields.outcome ?? outcomeOf(error),
      ip: ctx.ip,
      inputHash: inputHash(await call.getRawInput().catch(() => undefined)),
      detail: { ...fields.detail, ...(error ? { error: error.code } : {}) },
    });
  } catch (cause) {
    ctx.services.logger.error('audit log write failed', {
      action,
      error: cause instanceof Error ? cause.message : String(cause),
    });
  }
}
