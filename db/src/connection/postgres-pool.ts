/**
 * The postgres.js client behind the driver, with a database-availability circuit.
 *
 * Why: when PostgreSQL goes away, postgres.js keeps each broken connection's state and retries it with a
 * back-off shared by the whole pool (up to 20 s), so requests hung for seconds and some pool connections
 * stayed broken long after the server was back; a statement sent on a reserved connection that had
 * closed even threw from a timer (`socket.write` on null) and killed the process.
 *
 * So the first connection error opens the circuit: the client it came from (a "generation") is ended,
 * every query fails at once with `DatabaseUnavailableError` (503 + Retry-After), and a probe tries a
 * fresh client every `probeIntervalMs`. The first fresh client that answers `SELECT 1` becomes the new
 * generation: no connection of the old one is ever used again. Transactions pinned to an old generation
 * fail fast instead of sending anything on it.
 */
import type postgres from 'postgres';
import { DatabaseUnavailableError, isConnectionError } from './errors.ts';
import { clientPoolStats, type PoolStats } from './pool-stats.ts';

// Through the default export: the SDK's d.ts bundler (rollup-plugin-dts) cannot resolve named type
// imports from postgres.js's `export =` declarations.
type Sql = postgres.Sql;

export interface PoolEvents {
  /** The circuit opened: `error` is the connection error that opened it. */
  onDown?(error: unknown): void;
  /** A fresh client answered after `downMs` of outage. */
  onUp?(downMs: number): void;
}

export interface PostgresPoolOptions extends PoolEvents {
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

export interface Lease {
  readonly sql: Sql;
  readonly generation: number;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class PostgresPool {
  #current: Sql | null;
  #generation = 1;
  #downSince = 0;
  /** The connection error that opened the circuit: the cause of every fast failure while it is open. */
  #outage: unknown = null;
  #probe: Promise<void> | null = null;
  #ended = false;
  readonly #probeIntervalMs: number;
  readonly #probeTimeoutMs: number;

  constructor(
    private readonly open: () => Sql,
    private readonly options: PostgresPoolOptions = {},
  ) {
    this.#current = open();
    this.#probeIntervalMs = options.probeIntervalMs ?? 250;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 1_000;
  }

  get available(): boolean {
    return this.#current !== null;
  }

  /** The live client's connections; null while the circuit is open (there is no live client). */
  stats(): PoolStats | null {
    return this.#current ? clientPoolStats(this.#current) : null;
  }

  /** The live client, or DatabaseUnavailableError while the circuit is open. */
  lease(): Lease {
    if (this.#current === null) throw new DatabaseUnavailableError(this.#outage);
    return { sql: this.#current, generation: this.#generation };
  }

  /** Whether a lease's client is still the live one (connections of older ones must not be used). */
  isLive(lease: Lease): boolean {
    return this.#current !== null && lease.generation === this.#generation;
  }

  /**
   * What to throw for `error` seen on `lease`: a connection error opens the circuit (if its generation
   * is still live) and becomes DatabaseUnavailableError; anything else is returned unchanged.
   */
  failure(error: unknown, lease: Lease): unknown {
    if (error instanceof DatabaseUnavailableError) return error;
    if (!isConnectionError(error)) return error;
    if (this.isLive(lease)) this.#trip(error);
    return new DatabaseUnavailableError(error);
  }

  #trip(error: unknown): void {
    const broken = this.#current;
    this.#current = null;
    this.#outage = error;
    this.#downSince = performance.now();
    // In-flight queries of the broken client get a second to finish, then its sockets are destroyed.
    void broken?.end({ timeout: 1 }).catch(() => {});
    this.options.onDown?.(error);
    this.#probe ??= this.#reopen().finally(() => {
      this.#probe = null;
    });
  }

  async #reopen(): Promise<void> {
    while (!this.#ended) {
      const fresh = this.open();
      try {
        await within(Promise.resolve(fresh`SELECT 1`), this.#probeTimeoutMs);
        if (this.#ended) {
          void fresh.end({ timeout: 0 }).catch(() => {});
          break;
        }
        this.#generation++;
        this.#current = fresh;
        this.options.onUp?.(performance.now() - this.#downSince);
        return;
      } catch {
        void fresh.end({ timeout: 0 }).catch(() => {});
        await Bun.sleep(this.#probeIntervalMs);
      }
    }
  }

  async end(): Promise<void> {
    this.#ended = true;
    const current = this.#current;
    this.#current = null;
    await current?.end({ timeout: 5 });
  }
}
