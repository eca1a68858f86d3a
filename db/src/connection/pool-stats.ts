/**
 * How a database's connections are used right now, read when metrics are scraped (never counted on
 * the query path). PostgreSQL: postgres.js's own queues (our patch adds `poolStats()`); the embedded
 * owner: its one session and the processes connected through it.
 */

export interface PoolStats {
  /** Connections the pool may open (1 for the embedded database: one session). */
  max: number;
  /** Connections running a query, held by a transaction, or being opened. */
  inUse: number;
  idle: number;
  /**
   * Queries waiting for a connection. Embedded: other processes' units of work waiting for the session
   * (the owner's own queries queue inside Kysely, out of sight).
   */
  waiting: number;
  /** Embedded owner only: other processes (CLIs, the scheduler) connected through it. */
  clients?: number;
}

/** What postgres.js's `poolStats()` (patches/postgres@3.4.9.patch) reports. */
interface ClientPoolStats {
  max: number;
  idle: number;
  busy: number;
  reserved: number;
  connecting: number;
  waiting: number;
}

function hasPoolStats(sql: object): sql is { poolStats(): ClientPoolStats } {
  return 'poolStats' in sql && typeof sql.poolStats === 'function';
}

/** A postgres.js client's pool, or null when this build of postgres.js cannot tell. */
export function clientPoolStats(sql: object): PoolStats | null {
  if (!hasPoolStats(sql)) return null;
  const stats = sql.poolStats();
  return {
    max: stats.max,
    inUse: stats.busy + stats.reserved + stats.connecting,
    idle: stats.idle,
    waiting: stats.waiting,
  };
}
