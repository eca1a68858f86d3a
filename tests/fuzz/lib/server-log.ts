/**
 * Faults that never reach a response, read from the server's log: an audit row that could not be
 * written (the request was answered, its audit row is missing). One failure per logged message.
 */
import type { Failure } from './runner.ts';

const AUDIT_FAILED = /audit log write failed (\{.*\})/;

export function auditFailures(output: string): Failure[] {
  const seen = new Map<string, Failure>();
  for (const line of output.split('\n')) {
    const logged = AUDIT_FAILED.exec(line)?.[1];
    if (!logged || seen.has(logged)) continue;
    let action = 'unknown';
    let error = logged;
    try {
      const parsed = JSON.parse(logged) as { action?: unknown; error?: unknown };
      action = String(parsed.action ?? action);
      error = String(parsed.error ?? error);
    } catch {
      // not JSON: keep the line as it is
    }
    seen.set(logged, {
      fuzzCase: {
        group: `audit ${action}`,
        label: 'from the server log',
        tags: [],
        role: 'anonymous',
        method: '(any)',
        path: `(a ${action} call above)`,
      },
      outcome: { status: null, body: JSON.stringify({ message: error }), ms: 0 },
      violation: { kind: 'audit row not written', detail: logged },
      headers: {},
    });
  }
  return [...seen.values()];
}
