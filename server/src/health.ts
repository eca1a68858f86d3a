/**
 * Health probes for /health, /health/database and /health/redis. Each probe is bounded by a timeout
 * and never throws: a stopped database or Redis is reported, not crashed on.
 */
import { type DataSummary, dataSummary } from '@f1/db/races/data-summary';
import { sql } from 'kysely';
import type { Services } from './services.ts';

const PROBE_TIMEOUT_MS = 2_000;

export type ProbeStatus = 'ok' | 'down' | 'not_configured';

export interface DatabaseHealth {
  status: 'ok' | 'down';
  backend: 'postgres' | 'pglite';
  latencyMs: number | null;
  pool: { maxConnections: number };
  error?: string;
}

export interface RedisHealth {
  status: ProbeStatus;
  mode: 'redis' | 'in-process';
  latencyMs: number | null;
  memory?: { usedBytes: number; peakBytes: number; maxBytes: number | null };
  error?: string;
}

export interface OverallHealth {
  status: 'ok' | 'degraded' | 'unhealthy';
  database: DatabaseHealth;
  redis: RedisHealth;
  /**
   * What the database holds: seasons with results and the last race with results (`seasons: 0` on a
   * fresh database — not unhealthy, just empty); null while the database cannot answer.
   */
  data: DataSummary | null;
}

/** /health is probed often: the data summary is computed at most once per this many ms per process. */
export const DATA_SUMMARY_TTL_MS = 10_000;

const summaries = new WeakMap<Services, { at: number; value: Promise<DataSummary> }>();

/** The data summary, cached briefly per process (concurrent probes share one query); null on error. */
export async function dataHealth(
  services: Services,
  now = Date.now(),
): Promise<DataSummary | null> {
  const cached = summaries.get(services);
  let entry = cached && now - cached.at < DATA_SUMMARY_TTL_MS ? cached : undefined;
  if (!entry) {
    entry = { at: now, value: withTimeout(dataSummary(services.database.db), 'data summary') };
    summaries.set(services, entry);
  }
  try {
    return await entry.value;
  } catch {
    // Not cached: the next probe asks again (the database may be back).
    if (summaries.get(services) === entry) summaries.delete(services);
    return null;
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function databaseHealth(services: Services): Promise<DatabaseHealth> {
  const { database } = services;
  const started = performance.now();
  try {
    await withTimeout(sql`SELECT 1`.execute(database.db), 'database');
    return {
      status: 'ok',
      backend: database.kind,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      pool: database.pool,
    };
  } catch (error) {
    return {
      status: 'down',
      backend: database.kind,
      latencyMs: null,
      pool: database.pool,
      error: message(error),
    };
  }
}

function infoField(info: string, field: string): number | null {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match?.[1] ? Number(match[1]) : null;
}

export async function redisHealth(services: Services): Promise<RedisHealth> {
  const { redis } = services;
  if (!redis) return { status: 'not_configured', mode: 'in-process', latencyMs: null };
  const started = performance.now();
  try {
    const info = await withTimeout(redis.info('memory'), 'redis');
    const maxBytes = infoField(info, 'maxmemory');
    return {
      status: 'ok',
      mode: 'redis',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      memory: {
        usedBytes: infoField(info, 'used_memory') ?? 0,
        peakBytes: infoField(info, 'used_memory_peak') ?? 0,
        maxBytes: maxBytes ? maxBytes : null,
      },
    };
  } catch (error) {
    return { status: 'down', mode: 'redis', latencyMs: null, error: message(error) };
  }
}

/** Database down → unhealthy; Redis down → degraded (reads fall back to the database). */
export async function overallHealth(services: Services): Promise<OverallHealth> {
  const [database, redis] = await Promise.all([databaseHealth(services), redisHealth(services)]);
  const status =
    database.status === 'down' ? 'unhealthy' : redis.status === 'down' ? 'degraded' : 'ok';
  const data = database.status === 'ok' ? await dataHealth(services) : null;
  return { status, database, redis, data };
}

/** The start-up line about the data: a warning naming the command that loads it when there is none. */
export function describeData(data: DataSummary | null): { level: 'info' | 'warn'; line: string } {
  if (data === null) return { level: 'warn', line: 'data: the database did not say what it holds' };
  if (data.seasons === 0 || data.lastRace === null) {
    return {
      level: 'warn',
      line: 'data: the database holds no seasons; load the history with `bun run ingest bootstrap` (or `bun run ingest import-csv <ergast-csv-dir>`)',
    };
  }
  const last = data.lastRace;
  return {
    level: 'info',
    line: `data: ${data.seasons} season(s); last race with results ${last.season} round ${last.round} (${last.name}, ${last.date})`,
  };
}
