/**
 * How an unreachable database is answered on every entry point: 503 SERVICE_UNAVAILABLE with
 * `Retry-After`, a fixed message (never the driver's text, which names hosts and ports), and no
 * per-request error log (the database pool logs the outage once when it starts and once when it ends).
 */
import { findDatabaseUnavailable } from '@f1/db/connection/errors';

export const DATABASE_UNAVAILABLE_MESSAGE = 'database unavailable; try again';

/** `Retry-After` seconds when `error` (or its cause chain) is a database outage, else null. */
export function databaseRetryAfter(error: unknown): number | null {
  return findDatabaseUnavailable(error)?.retryAfterSeconds ?? null;
}

/** The Retry-After header for a response that failed with these errors, if any was an outage. */
export function retryAfterHeader(errors: readonly unknown[]): { 'retry-after': string } | null {
  for (const error of errors) {
    const seconds = databaseRetryAfter(error);
    if (seconds !== null) return { 'retry-after': String(seconds) };
  }
  return null;
}
