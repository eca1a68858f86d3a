/**
 * The owner's Kysely dialect: Kysely's PGlite driver, with every connection hand-out (one query, or a
 * whole transaction) holding the session lock, so the wire server's clients can never run a statement
 * inside one of the owner's transactions, nor the owner inside theirs.
 *
 * The owner waits at most `lockTimeoutMs` for a client to hand the session back, then fails with
 * DatabaseUnavailableError: the server answers 503 + Retry-After instead of queueing requests behind a
 * CLI's long transaction without limit. Kysely lets one acquire at a time reach the driver, so the
 * others queue in Kysely; once one has timed out behind a holder, the rest fail at once while that
 * holder keeps the session (else the n-th request would wait n times the limit).
 *
 * A timed-out acquire returns a connection that fails every statement rather than throwing: Kysely
 * does not release its own connection mutex when acquireConnection throws, and every later query hung.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PGliteDialect,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { DatabaseUnavailableError } from '../errors.ts';
import { type SessionLock, SessionLockTimeoutError } from './session-lock.ts';

/** How long the owner's queries wait for the session by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

/** Stands in for the connection when the session stayed busy: every statement fails with `error`. */
class UnavailableConnection implements DatabaseConnection {
  constructor(readonly error: DatabaseUnavailableError) {}

  executeQuery<R>(_query: CompiledQuery): Promise<QueryResult<R>> {
    return Promise.reject(this.error);
  }

  // biome-ignore lint/correctness/useYield: it fails before the first row
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw this.error;
  }
}

class SessionLockedDriver implements Driver {
  #release: (() => void) | null = null;
  /** The lock holder an acquire last timed out behind. */
  #stalledBehind: number | null = null;
  readonly savepoint: Driver['savepoint'];
  readonly rollbackToSavepoint: Driver['rollbackToSavepoint'];
  readonly releaseSavepoint: Driver['releaseSavepoint'];

  constructor(
    private readonly inner: Driver,
    private readonly lock: SessionLock,
    private readonly lockTimeoutMs: number,
  ) {
    this.savepoint = inner.savepoint?.bind(inner);
    this.rollbackToSavepoint = inner.rollbackToSavepoint?.bind(inner);
    this.releaseSavepoint = inner.releaseSavepoint?.bind(inner);
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const stalled = this.#stalledBehind !== null && this.lock.holder === this.#stalledBehind;
    let release: () => void;
    try {
      release = await this.lock.acquire(stalled ? 0 : this.lockTimeoutMs);
    } catch (error) {
      if (!(error instanceof SessionLockTimeoutError)) throw error;
      this.#stalledBehind = this.lock.holder;
      return new UnavailableConnection(new DatabaseUnavailableError(error));
    }
    try {
      const connection = await this.inner.acquireConnection();
      this.#release = release;
      return connection;
    } catch (error) {
      release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // It never held the session: the pending release (if any) is someone else's.
    if (connection instanceof UnavailableConnection) return;
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      // One holder at a time (the lock), so the pending release is always this connection's.
      const release = this.#release;
      this.#release = null;
      release?.();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof UnavailableConnection) return Promise.reject(connection.error);
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof UnavailableConnection) return Promise.reject(connection.error);
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof UnavailableConnection) return;
    return this.inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

export class SessionLockedPgliteDialect extends PGliteDialect {
  constructor(
    pglite: PGlite,
    private readonly lock: SessionLock,
    private readonly lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS,
  ) {
    super({ pglite });
  }

  override createDriver(): Driver {
    return new SessionLockedDriver(super.createDriver(), this.lock, this.lockTimeoutMs);
  }
}
