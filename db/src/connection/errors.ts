/**
 * Which errors mean "the database cannot be reached" (as opposed to "this query is wrong"), and the
 * typed error requests get while it cannot: the HTTP layers answer it with 503 + Retry-After.
 */
import { printableMessage } from '@f1/core/printable-message';

/** Socket errors of Node/Bun when the server is gone or unreachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** postgres.js's own codes for a connection it lost, ended or could not open in time. */
const CLIENT_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** admin_shutdown, crash_shutdown, cannot_connect_now (starting up / shutting down). */
const SERVER_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

function codeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

/** True for errors that say the connection or the server is gone, not that the query failed. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code === null) return false;
  // SQLSTATE class 08: connection exceptions.
  return (
    SOCKET_CODES.has(code) ||
    CLIENT_CODES.has(code) ||
    SERVER_SQLSTATES.has(code) ||
    /^08[0-9A-Z]{3}$/.test(code)
  );
}

/** Seconds a client should wait before retrying; the availability probe runs several times a second. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * Thrown instead of running a query while the database is unreachable. The message names the cause for
 * logs and CLIs; HTTP answers never carry it (they say `database unavailable; try again`).
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'DATABASE_UNAVAILABLE';
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;

  constructor(cause?: unknown) {
    const detail = cause instanceof Error ? ` (${printableMessage(cause.message)})` : '';
    super(`database unavailable${detail}; try again`, { cause });
  }
}

/** The DatabaseUnavailableError in `error` or its cause chain (tRPC and callers wrap errors), or null. */
export function findDatabaseUnavailable(error: unknown): DatabaseUnavailableError | null {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof DatabaseUnavailableError) return current;
    current = current.cause;
  }
  return null;
}
