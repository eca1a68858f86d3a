/**
 * The owner's Kysely dialect: Kysely's PGlite driver, with every connection hand-out (one query, or a
 * whole transaction) holding the session lock, so the wire server's clients can never run a statement
 * inside one of the owner's transactions, nor the owner inside theirs.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  type DatabaseConnection,
  type Driver,
  PGliteDialect,
  type TransactionSettings,
} from 'kysely';
import type { SessionLock } from './session-lock.ts';

class SessionLockedDriver implements Driver {
  #release: (() => void) | null = null;
  readonly savepoint: Driver['savepoint'];
  readonly rollbackToSavepoint: Driver['rollbackToSavepoint'];
  readonly releaseSavepoint: Driver['releaseSavepoint'];

  constructor(
    private readonly inner: Driver,
    private readonly lock: SessionLock,
  ) {
    this.savepoint = inner.savepoint?.bind(inner);
    this.rollbackToSavepoint = inner.rollbackToSavepoint?.bind(inner);
    this.releaseSavepoint = inner.releaseSavepoint?.bind(inner);
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
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
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
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
  ) {
    super({ pglite });
  }

  override createDriver(): Driver {
    return new SessionLockedDriver(super.createDriver(), this.lock);
  }
}
