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

type UnsafeParameters = Parameters<Sql['unsafe']>[1];

const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PooledConnection implements DatabaseConnection {
  #reserved: ReservedSql | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly prepare: boolean,
  ) {}

  /** Takes a connection out of the pool for the statements of one transaction. */
  async pin(): Promise<void> {
    this.#reserved ??= await this.sql.reserve();
  }

  unpin(): void {
    this.#reserved?.release();
    this.#reserved = null;
  }

  async command(text: string): Promise<string> {
    const result = await (this.#reserved ?? this.sql).unsafe(text);
    return result.command;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.#reserved ?? this.sql).unsafe(
      compiled.sql,
      compiled.parameters as UnsafeParameters,
      { prepare: this.prepare },
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
    const cursor = (this.#reserved ?? this.sql)
      .unsafe(compiled.sql, compiled.parameters as UnsafeParameters, { prepare: this.prepare })
      .cursor(chunkSize);
    for await (const rows of cursor) yield { rows: rows as unknown as R[] };
  }
}

class PooledPostgresDriver extends PostgresDriver implements Driver {
  constructor(
    private readonly sql: Sql,
    private readonly prepare: boolean,
  ) {
    // The pg pool of the base class is never used: init/acquire/release/destroy are replaced below; the
    // base class contributes the BEGIN/SAVEPOINT statements.
    super({ pool: () => Promise.reject(new Error('not used')) });
  }

  override async init(): Promise<void> {}

  override async acquireConnection(): Promise<DatabaseConnection> {
    return new PooledConnection(this.sql, this.prepare);
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

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof PooledConnection) connection.unpin();
  }

  override async destroy(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

export class PostgresJsPoolDialect implements Dialect {
  constructor(
    private readonly sql: Sql,
    private readonly options: { prepare: boolean } = { prepare: true },
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PooledPostgresDriver(this.sql, this.options.prepare);
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
