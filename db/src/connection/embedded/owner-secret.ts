/**
 * The password of an owner's wire socket. The abstract socket has no file permissions and its name is
 * listed in /proc/net/unix, so any local user can connect to it; what keeps them out is this secret,
 * which the owner draws when it claims the directory and writes (mode 0600) inside the data directory
 * (mode 0700). Only a user who can read the database files can read it — and so connect.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ownerSecretPath = (dir: string) => path.join(dir, '.f1-owner-secret');

/**
 * Draws a fresh secret and publishes it, replacing the previous owner's. A new file (renamed into
 * place) so it is never read half-written and never inherits looser permissions of an old one.
 */
export function createOwnerSecret(dir: string): string {
  // The files PGlite writes are world-readable (0666): the directory's mode is what protects them.
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (another user's directory we may write to): the secret file is still 0600.
  }
  const secret = randomBytes(32).toString('hex');
  const temporary = `${ownerSecretPath(dir)}.${process.pid}`;
  writeFileSync(temporary, secret, { mode: 0o600, flag: 'w' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, ownerSecretPath(dir));
  return secret;
}

/** The current owner's secret, for a client to send; '' when it cannot be read (so it is refused). */
export function readOwnerSecret(dir: string): string {
  try {
    return readFileSync(ownerSecretPath(dir), 'utf8').trim();
  } catch {
    return '';
  }
}

/** Constant-time comparison (digests, so the lengths match). */
export function secretMatches(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return expected.length > 0 && timingSafeEqual(digest(expected), digest(given));
}
