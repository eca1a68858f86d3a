/**
 * Opens the database a `DatabaseConfig` describes: PostgreSQL through postgres.js, or the embedded
 * PGlite (PostgreSQL compiled to WASM) persisted under a data directory when no server is configured.
 *
 * Both back ends get the same type parsers, so query results have the same JS types everywhere:
 * `numeric` and `bigint` become numbers (points like 12.5 and counts fit a double exactly), and `date`
 * stays a `YYYY-MM-DD` string (a JS Date would invent a time of day and a time zone).
 */
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseConfig } from '@f1/core/config';
import { Kysely, PGliteDialect } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { DB } from '../schema.ts';
import { type EmbeddedDatabase, openEmbedded } from './embedded/open-embedded.ts';
import { clientPoolStats, type PoolStats } from './pool-stats.ts';
import { PostgresJsPoolDialect } from './postgres-driver.ts';
import { type PoolEvents, PostgresPool } from './postgres-pool.ts';

const OID = { int8: 20, numeric: 1700, date: 1082 } as const;
const toNumber = (value: string) => Number(value);
const asIs = (value: string) => value;

export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseConfig['kind'];
  /** What /health/database reports about connections. */
  readonly pool: { maxConnections: number };
  /**
   * The connections in use right now (metrics read it at scrape time). Null while PostgreSQL is
   * unreachable; absent where nothing meaningful can be said (an in-memory PGlite).
   */
  poolStats?(): PoolStats | null;
  /**
   * Subscribes to `NOTIFY`s on `channel` that processes (this one included) send through this
   * database. PostgreSQL listens on a connection of its own, which postgres.js re-opens and
   * re-subscribes after it is lost; `onReconnect` then runs, since what was sent meanwhile is lost.
   * The embedded database's owner has it too (in-process, never lost); its clients do not (they share
   * its one session). Returns an unsubscribe.
   */
  listen?(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => void>;
  close(): Promise<void>;
}

/**
 * `prepared-pool` (the default) is our own driver: prepared statements on the pool, a reserved
 * connection only for transactions (see postgres-driver.ts). `kysely-postgres-js` reserves a connection
 * per query; it stays selectable for the benchmark that compares the two.
 */
export type PostgresDriverKind = 'prepared-pool' | 'kysely-postgres-js';

export interface PostgresOptions extends PoolEvents {
  driver?: PostgresDriverKind;
  /** A unix socket to connect to instead of the URL's host (the embedded owner's socket). */
  path?: string;
  /** Named prepared statements (default true); see the embedded client below for why not there. */
  prepare?: boolean;
  /** Seconds to wait for a connection to be ready (default 2: a reachable server answers in ms). */
  connectTimeout?: number;
  /** The password, or a function asked for it on every connection (the embedded owner's secret). */
  password?: string | (() => string);
  /** Offer `Database.listen` (default true; not to the embedded owner's clients). */
  listen?: boolean;
}

const CONNECT_TIMEOUT_S = 2;

const openClient = (url: string, poolSize: number, options: PostgresOptions) =>
  postgres(url, {
    max: poolSize,
    ...(options.path ? { path: options.path } : {}),
    ...(options.password === undefined ? {} : { password: options.password }),
    onnotice: () => {},
    // postgres.js otherwise keeps idle connections forever; a short idle timeout frees them for other apps.
    idle_timeout: 30,
    connect_timeout: options.connectTimeout ?? CONNECT_TIMEOUT_S,
    // The default back-off grows with every failed connect of the pool, to 20 s, and delays queries that
    // wait for a connection by as much; the availability circuit (postgres-pool.ts) paces retries instead.
    backoff: () => 0.1,
    // TCP keep-alive probes on idle connections find a peer that vanished without closing (default 60 s).
    keep_alive: 15,
    types: {
      numeric: { to: OID.numeric, from: [OID.numeric], serialize: String, parse: toNumber },
      int8: { to: OID.int8, from: [OID.int8], serialize: String, parse: toNumber },
      date: { to: OID.date, from: [OID.date], serialize: String, parse: asIs },
    },
  });

export function connectPostgres(
  url: string,
  poolSize = 10,
  options: PostgresOptions = {},
): Database {
  let poolStats: () => PoolStats | null;
  let dialect: PostgresJSDialect | PostgresJsPoolDialect;
  if (options.driver === 'kysely-postgres-js') {
    const client = openClient(url, poolSize, options);
    poolStats = () => clientPoolStats(client);
    dialect = new PostgresJSDialect({ postgres: client });
  } else {
    const pool = new PostgresPool(() => openClient(url, poolSize, options), options);
    poolStats = () => pool.stats();
    dialect = new PostgresJsPoolDialect(pool, { prepare: options.prepare ?? true });
  }
  const db = new Kysely<DB>({ dialect });
  // LISTEN needs a session of its own for as long as it lasts: a client apart from the pool, opened on
  // the first listen (its circuit never ends this one; postgres.js re-listens after a lost connection).
  let listener: postgres.Sql | null = null;
  const listen: NonNullable<Database['listen']> = async (channel, onPayload, onReconnect) => {
    listener ??= openClient(url, 1, options);
    let subscribed = false;
    let stopped = false;
    const { unlisten } = await listener.listen(
      channel,
      (payload) => {
        if (!stopped) onPayload(payload);
      },
      () => {
        if (subscribed && !stopped) onReconnect?.();
        subscribed = true;
      },
    );
    // The flag as well: after a re-listen postgres.js's `unlisten` no longer finds its listener.
    return () => {
      stopped = true;
      void unlisten().catch(() => {});
    };
  };
  return {
    db,
    kind: 'postgres',
    pool: { maxConnections: poolSize },
    poolStats,
    ...(options.listen === false ? {} : { listen }),
    async close() {
      await db.destroy();
      await listener?.end({ timeout: 1 });
    },
  };
}

export const PGLITE_PARSERS = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: asIs,
} as const;

/** Wraps an open PGlite instance (tests hand in clones of a migrated template). */
export function wrapPglite(pglite: PGlite): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    pool: { maxConnections: 1 },
    async close() {
      await db.destroy();
      // Kysely only closes an instance it has used; close one that never ran a query too.
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * An in-memory PGlite, or — given a directory — the shared embedded database there: opening a
 * directory's files without claiming it (as this once did) let a second process corrupt them.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) return openSharedPglite(dataDir);
  return wrapPglite(await PGlite.create({ parsers: PGLITE_PARSERS }));
}

/**
 * Opens the configured back end. For PGlite the data lives in `<dataDir>/pglite`, owned by one process
 * at a time; the others reach it through the owner (embedded/open-embedded.ts). `requireOwner` (the
 * server) refuses to be such a client. The pool events hear when PostgreSQL becomes unreachable and
 * reachable again.
 */
export async function connect(
  config: DatabaseConfig,
  options: { requireOwner?: boolean } & PoolEvents = {},
): Promise<Database> {
  if (config.kind === 'postgres') return connectPostgres(config.url, config.poolSize, options);
  return openSharedPglite(`${config.dataDir.replace(/\/+$/, '')}/pglite`, options);
}

export function openSharedPglite(
  dir: string,
  options: { requireOwner?: boolean; holdTimeoutMs?: number; lockTimeoutMs?: number } = {},
): Promise<EmbeddedDatabase> {
  return openEmbedded(dir, {
    ...options,
    open: (dataDir) => PGlite.create({ dataDir, parsers: PGLITE_PARSERS }),
    // One connection: the owner runs one statement at a time anyway. Unnamed statements: every client
    // shares the owner's single session, where named ones would outlive the client that made them.
    connectClient: (path, password) => {
      const database = connectPostgres('postgres://postgres@localhost/postgres', 1, {
        path,
        password,
        prepare: false,
        // A LISTEN would be on the owner's shared session; the owner listens for everyone instead.
        listen: false,
        // The owner may still be opening (a fresh directory takes seconds); its socket already accepts.
        connectTimeout: 120,
      });
      return { ...database, kind: 'pglite' };
    },
  });
}
