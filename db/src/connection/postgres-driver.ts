/**
 * A Kysely dialect over postgres.js that runs each query as a prepared statement on the pool, and pins a
 * reserved connection only for a transaction.
 *
 * Why: kysely-postgres-js 5 `reserve()`s a connection for every query, even a single SELECT. Reserving
 * takes the connection out of postgres.js's pool for the whole round trip, so concurrent requests queue
 * for connections instead of being pipelined, and each query pays the reserve/release bookkeeping.
 * Here a single query goes to `sql.unsafe(text, params, { prepare: true })` on the pool (postgres.js
 * names and caches the statement per connection), and `beginTransaction` reserves a connection that
 * every statement of the transaction then uses until commit or rollback releases it.
 *
 * Connection faults go through `PostgresPool` (postgres-pool.ts): while the database is unreachable
 * every statement fails at once with DatabaseUnavailableError, and a transaction whose connection died
 * neither sends anything more on it nor hands it back to postgres.js.
 *
 * Limitation: `db.connection()` does not pin a session (Kysely gives the driver no way to tell it from a
 * single query). Keep session state — advisory locks, SET — inside a transaction
 * (`pg_advisory_xact_lock`, `SET LOCAL`).
 */
import {
  AbortedTransactionError,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { ReservedSql, Sql } from 'postgres';
import { DatabaseUnavailableError, isConnectionError } from './errors.ts';
import type { Lease, PostgresPool } from './postgres-pool.ts';

type UnsafeParameters = Parameters<Sql['unsafe']>[1];

const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

interface Pinned {
  lease: Lease;
  reserved: ReservedSql;
  /** Set once a statement on it failed with a connection error: postgres.js has taken it back. */
  broken: boolean;
}

class PooledConnection implements DatabaseConnection {
  #pinned: Pinned | null = null;

  constructor(
    private readonly pool: PostgresPool,
    private readonly prepare: boolean,
  ) {}

  /** Takes a connection out of the pool for the statements of one transaction. */
  async pin(): Promise<void> {
    if (this.#pinned) return;
    const lease = this.pool.lease();
    try {
      this.#pinned = { lease, reserved: await lease.sql.reserve(), broken: false };
    } catch (error) {
      throw this.pool.failure(error, lease);
    }
  }

  /**
   * Gives the reserved connection back, unless it broke or its client was replaced: postgres.js already
   * took a closed connection back (releasing it again would put a dead or re-used connection in its
   * idle queue), and a replaced client ends its connections itself.
   */
  unpin(): void {
    const pinned = this.#pinned;
    this.#pinned = null;
    if (pinned && !pinned.broken && this.pool.isLive(pinned.lease)) pinned.reserved.release();
  }

  /** Where the next statement goes; a transaction whose client is no longer live fails fast. */
  #target(): { sql: Sql | ReservedSql; lease: Lease; pinned: Pinned | null } {
    const pinned = this.#pinned;
    if (!pinned) {
      const lease = this.pool.lease();
      return { sql: lease.sql, lease, pinned };
    }
    if (pinned.broken || !this.pool.isLive(pinned.lease))
      throw new DatabaseUnavailableError(new Error('the transaction lost its connection'));
    return { sql: pinned.reserved, lease: pinned.lease, pinned };
  }

  async #run<T>(statement: (sql: Sql | ReservedSql) => Promise<T>): Promise<T> {
    const { sql, lease, pinned } = this.#target();
    try {
      return await statement(sql);
    } catch (error) {
      if (pinned && isConnectionError(error)) pinned.broken = true;
      throw this.pool.failure(error, lease);
    }
  }

  async command(text: string): Promise<string> {
    const result = await this.#run((sql) => sql.unsafe(text));
    return result.command;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#run((sql) =>
      sql.unsafe(compiled.sql, compiled.parameters as UnsafeParameters, { prepare: this.prepare }),
    );
    return {
      rows: result as unknown as R[],
      numAffectedRows: WRITE_COMMANDS.has(result.command) ? BigInt(result.count) : undefined,
    };
  }

  async *streamQuery<R>(
    compiled: CompiledQuery,
    chunkSize: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    const { sql, lease, pinned } = this.#target();
    const cursor = sql
      .unsafe(compiled.sql, compiled.parameters as UnsafeParameters, { prepare: this.prepare })
      .cursor(chunkSize);
    try {
      for await (const rows of cursor) yield { rows: rows as unknown as R[] };
    } catch (error) {
      if (pinned && isConnectionError(error)) pinned.broken = true;
      throw this.pool.failure(error, lease);
    }
  }
}

class PooledPostgresDriver extends PostgresDriver implements Driver {
  constructor(
    private readonly pool: PostgresPool,
    private readonly prepare: boolean,
  ) {
    // The pg pool of the base class is never used: init/acquire/release/destroy are replaced below; the
    // base class contributes the BEGIN/SAVEPOINT statements.
    super({ pool: () => Promise.reject(new Error('not used')) });
  }

  override async init(): Promise<void> {}

  override async acquireConnection(): Promise<DatabaseConnection> {
    return new PooledConnection(this.pool, this.prepare);
  }

  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    if (!(connection instanceof PooledConnection)) throw new Error('foreign connection');
    await connection.pin();
    await super.beginTransaction(connection, settings);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof PooledConnection)) throw new Error('foreign connection');
    // PostgreSQL answers COMMIT with ROLLBACK when an earlier error aborted the transaction.
    if ((await connection.command('commit')) === 'ROLLBACK') throw new AbortedTransactionError();
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof PooledConnection)) throw new Error('foreign connection');
    // The base class would mark its own pg connection for discard when ROLLBACK fails; a connection of
    // ours whose ROLLBACK failed for a lost connection is already marked broken and not handed back.
    await connection.command('rollback');
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof PooledConnection) connection.unpin();
  }

  override async destroy(): Promise<void> {
    await this.pool.end();
  }
}

export class PostgresJsPoolDialect implements Dialect {
  constructor(
    private readonly pool: PostgresPool,
    /** Named prepared statements (default); the embedded owner's clients use unnamed ones. */
    private readonly options: { prepare: boolean } = { prepare: true },
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PooledPostgresDriver(this.pool, this.options.prepare);
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
