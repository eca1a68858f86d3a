/**
 * What the audit log keeps of an input: a SHA-256 of its canonical JSON after secrets are replaced by
 * a marker. The hash proves what was sent (compare against a suspected input) without storing it, and
 * secrets never reach the hash, so it cannot be used to confirm a guessed password either.
 */
import { createHash } from 'node:crypto';

/** Field names whose values are never hashed, logged or stored. */
const SECRET_FIELD = /pass(word|phrase)?|secret|token|^key$|api_?key|authorization|credential/i;

export const REDACTED = '[redacted]';

/** A deep copy with secret-named fields replaced and object keys sorted (canonical form). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    out[key] = SECRET_FIELD.test(key) ? REDACTED : redactSecrets(field);
  }
  return out;
}

/** SHA-256 (hex) of the redacted input, or null when there was no input. */
export function inputHash(input: unknown): string | null {
  if (input === undefined) return null;
  return createHash('sha256')
    .update(JSON.stringify(redactSecrets(input)) ?? 'null')
    .digest('hex');
}
