/**
 * Metrics read when /metrics is scraped, never counted on a request's path: the caches' own counters,
 * the database pool, what the ingestion runs table says, and the scheduler's Redis lock.
 */
import { jobLockFenceKey, jobLockKey } from '@f1/core/job-lock';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import type { Database } from '@f1/db/connection/connect';
import {
  type IngestionRunTotals,
  ingestionRunTotals,
  ROW_CHANGES,
} from '@f1/db/ingestion/run-metrics';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheServices } from '../cache/cache-services.ts';

export interface MetricSources {
  database: Database;
  redis: Redis | null;
  cache: Pick<CacheServices, 'query' | 'responses'>;
  /** The scheduler's lock name (F1_JOBS_LOCK_NAME). */
  lockName: string;
  logger: Logger;
}

/** A scrape waits this long for the database or Redis, then reports without them. */
const SOURCE_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms = SOURCE_TIMEOUT_MS): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A counter whose value is read from `value()` at scrape time (a monotonic count kept elsewhere). */
function readCounter(
  registry: Registry,
  spec: { name: string; help: string },
  values: () => [labels: Record<string, string>, value: number][],
  labelNames: string[] = [],
) {
  return new Counter({
    ...spec,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of values()) this.inc(labels, value);
    },
  });
}

function cacheCollectors(registry: Registry, cache: MetricSources['cache']): void {
  const { responses, query } = cache;
  readCounter(
    registry,
    {
      name: 'f1_response_cache_hits_total',
      help: 'Public GETs answered from the response cache, by level (local: in-process LRU; shared: Redis)',
    },
    () => [
      [{ level: 'local' }, responses.stats.localHits],
      [{ level: 'shared' }, responses.stats.sharedHits],
    ],
    ['level'],
  );
  readCounter(
    registry,
    { name: 'f1_response_cache_misses_total', help: 'Response-cache lookups that found nothing' },
    () => [[{}, responses.stats.misses]],
  );
  readCounter(
    registry,
    { name: 'f1_response_cache_stores_total', help: 'Responses stored in the response cache' },
    () => [[{}, responses.stats.stores]],
  );
  new Gauge({
    name: 'f1_response_cache_entries',
    help: 'Entries in the in-process response cache',
    registers: [registry],
    collect() {
      this.set(responses.size);
    },
  });
  readCounter(
    registry,
    { name: 'f1_query_cache_hits_total', help: 'Query-cache reads answered from the cache' },
    () => [[{}, query.stats.hits]],
  );
  readCounter(
    registry,
    {
      name: 'f1_query_cache_misses_total',
      help: 'Query-cache reads that loaded from the database',
    },
    () => [[{}, query.stats.misses]],
  );
}

function poolCollectors(registry: Registry, database: Database): void {
  const gauge = (name: string, help: string, read: () => number | null | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const value = read();
        if (typeof value === 'number') this.set(value);
      },
    });
  gauge('f1_db_pool_max_connections', 'Connections the pool may open (embedded: 1 session)', () => {
    return database.pool.maxConnections;
  });
  if (!database.poolStats) return;
  const stats = () => database.poolStats?.() ?? null;
  gauge('f1_db_available', '1 while the database answers, 0 while its circuit is open', () =>
    stats() ? 1 : 0,
  );
  gauge(
    'f1_db_pool_connections_in_use',
    'Connections running a query, held by a transaction or opening',
    () => stats()?.inUse,
  );
  gauge('f1_db_pool_connections_idle', 'Open connections waiting for work', () => stats()?.idle);
  gauge(
    'f1_db_pool_waiting',
    'Queries waiting for a connection (embedded: client processes waiting for the session)',
    () => stats()?.waiting,
  );
  if (database.kind === 'pglite')
    gauge(
      'f1_db_embedded_clients',
      'Other processes connected to the embedded database through this one',
      () => stats()?.clients,
    );
}

/** Per-scrape memo: every ingestion gauge reads the same query result. */
function sharedRead<T>(read: () => Promise<T>, freshMs = 1_000): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = performance.now();
    if (!last || now - last.at > freshMs) last = { at: now, value: read() };
    return last.value;
  };
}

function ingestionCollectors(
  registry: Registry,
  sources: MetricSources,
  failed: (collector: string) => void,
): () => Promise<unknown> {
  const totals = sharedRead(async (): Promise<IngestionRunTotals[]> => {
    try {
      return await within(ingestionRunTotals(sources.database.db));
    } catch (error) {
      failed('ingestion');
      sources.logger.debug('metrics: ingestion runs unreadable', {
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  });
  const gauge = (
    spec: { name: string; help: string; labelNames: string[] },
    fill: (gauge: Gauge, run: IngestionRunTotals) => void,
  ) =>
    new Gauge({
      ...spec,
      registers: [registry],
      async collect() {
        const runs = await totals();
        this.reset();
        for (const run of runs) fill(this, run);
      },
    });
  gauge(
    {
      name: 'f1_ingestion_runs',
      help: 'Ingestion runs recorded in the database, by kind and status',
      labelNames: ['kind', 'status'],
    },
    (g, run) => g.set({ kind: run.kind, status: run.status }, run.runs),
  );
  gauge(
    {
      name: 'f1_ingestion_rows',
      help: 'Rows the recorded ingestion runs reported, summed, by kind, status and change',
      labelNames: ['kind', 'status', 'change'],
    },
    (g, run) => {
      for (const change of ROW_CHANGES)
        g.set({ kind: run.kind, status: run.status, change }, run.rows[change]);
    },
  );
  gauge(
    {
      name: 'f1_ingestion_last_run_rows',
      help: 'Rows the last finished ingestion run of a kind and status reported, by change',
      labelNames: ['kind', 'status', 'change'],
    },
    (g, run) => {
      if (!run.lastFinishedAt) return;
      for (const change of ROW_CHANGES)
        g.set({ kind: run.kind, status: run.status, change }, run.lastRows[change]);
    },
  );
  gauge(
    {
      name: 'f1_ingestion_last_run_finished_seconds',
      help: 'When the last ingestion run of a kind and status finished (Unix seconds)',
      labelNames: ['kind', 'status'],
    },
    (g, run) => {
      if (run.lastFinishedAt)
        g.set({ kind: run.kind, status: run.status }, run.lastFinishedAt.getTime() / 1000);
    },
  );
  return totals;
}

/**
 * The scheduler's lock (`bun run jobs`, jobs/src/scheduler/redis-lock.ts): held or not, its lease
 * left and the fencing token of the latest holder (one number per acquisition: the holder's id is
 * a random owner string, a label of it would be a new series every run). Only with Redis: without
 * it the scheduler's lock is local to its process.
 */
function lockCollectors(
  registry: Registry,
  sources: MetricSources & { redis: Redis },
  failed: (collector: string) => void,
): () => Promise<unknown> {
  const { redis, lockName } = sources;
  const state = sharedRead(async () => {
    try {
      const [holder, ttlMs, fence] = await within(
        Promise.all([
          redis.get(jobLockKey(lockName)),
          redis.pttl(jobLockKey(lockName)),
          redis.get(jobLockFenceKey(lockName)),
        ]),
      );
      return { held: holder !== null, ttlMs, fence: fence === null ? null : Number(fence) };
    } catch {
      failed('scheduler_lock');
      return null;
    }
  });
  const gauge = (
    name: string,
    help: string,
    read: (s: NonNullable<Awaited<ReturnType<typeof state>>>) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['lock'],
      registers: [registry],
      async collect() {
        const now = await state();
        this.reset();
        const value = now ? read(now) : null;
        if (value !== null) this.set({ lock: lockName }, value);
      },
    });
  gauge('f1_scheduler_lock_held', '1 while a scheduler holds the job lock', (s) =>
    s.held ? 1 : 0,
  );
  gauge('f1_scheduler_lock_ttl_seconds', 'Lease left on the held job lock', (s) =>
    s.held && s.ttlMs > 0 ? s.ttlMs / 1000 : null,
  );
  gauge(
    'f1_scheduler_lock_fence_token',
    'Fencing token of the latest holder of the job lock',
    (s) => s.fence,
  );
  return state;
}

/** Registers every scrape-time metric, and the counter of sources a scrape could not read. */
export function registerCollectors(registry: Registry, sources: MetricSources): void {
  const reads: (() => Promise<unknown>)[] = [];
  // Written once this scrape's reads are done, so a failure shows in the same scrape.
  const errors = new Counter({
    name: 'f1_metrics_collect_errors_total',
    help: 'Scrapes that could not read a source (database, Redis), by collector',
    labelNames: ['collector'],
    registers: [registry],
    async collect() {
      await Promise.all(reads.map((read) => read()));
    },
  });
  const failed = (collector: string) => errors.labels(collector).inc();
  cacheCollectors(registry, sources.cache);
  poolCollectors(registry, sources.database);
  reads.push(ingestionCollectors(registry, sources, failed));
  const { redis } = sources;
  if (redis) reads.push(lockCollectors(registry, { ...sources, redis }, failed));
}
