/**
 * Password hashing (bcrypt through `Bun.password`) and the password policy.
 *
 * bcrypt reads at most 72 bytes. Bun silently SHA-512-pre-hashes longer inputs, which makes such hashes
 * unverifiable by any other bcrypt implementation; we **reject** passwords over 72 UTF-8 bytes instead,
 * with a message that says so, and keep every stored hash plain, portable bcrypt.
 */
import { AuthError } from './errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_BYTES = 72;

/** Throws `AuthError('weak_password')` naming the rule a password breaks. */
export function checkPasswordPolicy(password: string, email: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new AuthError(
      'weak_password',
      `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    throw new AuthError(
      'weak_password',
      `password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt ignores the rest)`,
    );
  }
  const lower = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const localPart = address.split('@')[0] ?? address;
  if (lower === address || lower === localPart || lower.includes(address)) {
    throw new AuthError('weak_password', 'password must not be the email address');
  }
  if (new Set(password).size < 4) {
    throw new AuthError('weak_password', 'password must use at least 4 different characters');
  }
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'bcrypt', cost });
}

/** The cost factor a bcrypt hash was made with (`$2b$12$…` → 12), or null for anything else. */
export function bcryptCost(hash: string): number | null {
  const match = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
  return match ? Number(match[1]) : null;
}

let dummyHash: { cost: number; hash: Promise<string> } | undefined;

/**
 * Verifies a password against a stored hash, or — when there is no such user (`hash` null) — against a
 * dummy hash of the same cost, so both paths spend the same bcrypt time and an attacker cannot tell
 * "unknown email" from "wrong password" by timing.
 */
export async function verifyPassword(
  password: string,
  hash: string | null,
  cost: number,
): Promise<boolean> {
  if (hash === null) {
    if (dummyHash?.cost !== cost) {
      dummyHash = { cost, hash: hashPassword(crypto.randomUUID(), cost) };
    }
    await Bun.password.verify(password, await dummyHash.hash);
    return false;
  }
  try {
    return await Bun.password.verify(password, hash);
  } catch {
    // A malformed stored hash is a failed login, not a 500.
    return false;
  }
}
