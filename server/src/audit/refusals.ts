/**
 * Audit rows for calls refused before they ran: rate-limited (429), and over HTTP, bodies refused
 * before they were parsed (413, 415, unreadable/invalid JSON). Such a call never reaches the audit
 * middleware, so without this a brute force was invisible.
 *
 * A flood of refusals must not become a flood of inserts (a refused client would otherwise turn each
 * cheap 429 into a database write). Refusals are therefore coalesced: per caller (principal or none,
 * IP), action and reason, the refusals noted within one window (1 s) become ONE row whose
 * `detail.count` says how many it stands for and `detail.since` when the first was seen. So a key
 * writes at most one row per window, however fast it is refused; more distinct keys than
 * `MAX_PENDING` flush early (one row per key still — never a dropped refusal). Writing happens off the
 * request; a failed write is logged, never an error for anyone.
 */
import { insertAuditEntry } from '@f1/db/auth/audit';
import type { AuditOutcome } from '@f1/db/schema';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';

export type Refusal = 'rate_limited' | 'body_too_large' | 'unsupported_media_type' | 'unreadable';

export interface RefusedCall {
  principal: Principal | null;
  ip: string | null;
  /** The procedure path (`auth.login`). */
  action: string;
  refused: Refusal;
}

export const REFUSAL_WINDOW_MS = 1000;
const MAX_PENDING = 10_000;

interface Pending extends RefusedCall {
  count: number;
  since: Date;
}

const outcomeOf = (refused: Refusal): AuditOutcome =>
  refused === 'rate_limited' ? 'denied' : 'failure';

const keyOf = ({ principal, ip, action, refused }: RefusedCall) =>
  JSON.stringify([principal?.kind ?? null, principal?.id ?? null, ip, action, refused]);

class RefusalLog {
  private pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly services: Services) {}

  note(call: RefusedCall): void {
    const key = keyOf(call);
    const existing = this.pending.get(key);
    if (existing) existing.count += 1;
    else this.pending.set(key, { ...call, count: 1, since: new Date() });
    if (this.pending.size >= MAX_PENDING) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), REFUSAL_WINDOW_MS);
      this.timer.unref?.();
    }
  }

  /** Writes every pending row now; resolves when all writes so far are done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    this.writing = this.writing.then(() => this.write(rows));
    return this.writing;
  }

  private async write(rows: Pending[]): Promise<void> {
    const { db, logger } = this.services;
    for (const row of rows) {
      const { principal, refused, count } = row;
      try {
        await insertAuditEntry(db, {
          userId: principal?.kind === 'user' ? principal.id : null,
          apiKeyId: principal?.kind === 'api_key' ? principal.id : null,
          action: row.action,
          outcome: outcomeOf(refused),
          ip: row.ip,
          inputHash: null,
          detail: { refused, count, since: row.since.toISOString() },
        });
      } catch (cause) {
        const error = cause instanceof Error ? cause.message : String(cause);
        logger.error('audit log write failed', { action: row.action, refused, count, error });
      }
    }
  }
}

const logs = new WeakMap<Services, RefusalLog>();

function logOf(services: Services): RefusalLog {
  let log = logs.get(services);
  if (!log) {
    log = new RefusalLog(services);
    logs.set(services, log);
  }
  return log;
}

/** Records a refused call (coalesced, written within about a second). */
export function noteRefusal(services: Services, call: RefusedCall): void {
  logOf(services).note(call);
}

/** Writes the pending refusal rows now (tests; shutdown). */
export function flushRefusals(services: Services): Promise<void> {
  return logs.get(services)?.flush() ?? Promise.resolve();
}
