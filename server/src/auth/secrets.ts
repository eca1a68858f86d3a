/**
 * Opaque secrets handed to clients: refresh tokens and API keys. Both carry 256 random bits and a
 * prefix that says what they are, so a leaked one is easy to recognise (`grep -E 'f1k_[0-9a-f]{72}'`);
 * only their SHA-256 is stored, which is enough for secrets that cannot be guessed.
 */
import { createHash, randomBytes } from 'node:crypto';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const base64url = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A new session id: 128 random bits. */
export const newSessionId = (): string => base64url(16);

const REFRESH_PREFIX = 'f1r_';

/** `f1r_<sessionId>.<secret>`: the session id lets the store find the token family in one lookup. */
export function newRefreshToken(sessionId: string): string {
  return `${REFRESH_PREFIX}${sessionId}.${base64url(32)}`;
}

/** The session id inside a well-formed refresh token, or null. */
export function refreshTokenSession(token: string): string | null {
  const match = /^f1r_([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1] ?? null;
}

export const API_KEY_PREFIX = 'f1k_';
/** Characters of a key shown in listings (`f1k_` + 8 hex): identifies a key, reveals nothing useful. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

const crc32hex = (value: string) => Bun.hash.crc32(value).toString(16).padStart(8, '0');

/**
 * A new API key: `f1k_` + 64 hex random + 8 hex CRC-32 of the rest. The checksum lets secret scanners
 * (and our own parser) reject look-alikes without a database lookup.
 */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const body = `${API_KEY_PREFIX}${randomBytes(32).toString('hex')}`;
  const key = `${body}${crc32hex(body)}`;
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: sha256(key) };
}

export const looksLikeApiKey = (value: string): boolean => value.startsWith(API_KEY_PREFIX);

/** True when the key has the right shape and checksum (it may still be unknown or revoked). */
export function isWellFormedApiKey(key: string): boolean {
  const match = /^(f1k_[0-9a-f]{64})([0-9a-f]{8})$/.exec(key);
  return match !== null && crc32hex(match[1] ?? '') === match[2];
}
