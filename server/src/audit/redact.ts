/**
 * What the audit log keeps of an input: a SHA-256 of its canonical text (canonical.ts) with secrets
 * replaced by a marker. The hash proves what was sent (compare against a suspected input) without
 * storing it, and secrets never reach the hash, so it cannot be used to confirm a guessed password
 * either. Any input hashes — BigInts, invalid Dates, Maps, cycles, 100,000-deep nesting — so no input
 * can make the audit row go unwritten.
 */
import { createHash } from 'node:crypto';
import { canonicalText } from './canonical.ts';

/** Field names whose values are never hashed, logged or stored. */
const SECRET_FIELD = /pass(word|phrase)?|secret|token|^key$|api_?key|authorization|credential/i;

export const REDACTED = '[redacted]';

const redact = (key: string): string | null => (SECRET_FIELD.test(key) ? REDACTED : null);

/** The canonical text the hash is taken of: keys sorted, secrets replaced, size bounded. */
export function redactedText(input: unknown): { text: string; truncated: boolean } {
  return canonicalText(input, { redact });
}

export interface InputDigest {
  /** SHA-256 (hex) of the redacted canonical input, or null when there was no input. */
  hash: string | null;
  /** The input was cut short (too deep, too large, or cyclic): the hash covers the bounded form. */
  truncated: boolean;
}

export function digestInput(input: unknown): InputDigest {
  if (input === undefined) return { hash: null, truncated: false };
  const { text, truncated } = redactedText(input);
  return { hash: createHash('sha256').update(text).digest('hex'), truncated };
}

/** SHA-256 (hex) of the redacted input, or null when there was no input. */
export const inputHash = (input: unknown): string | null => digestInput(input).hash;
