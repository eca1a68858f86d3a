/**
 * Health probes for /health, /health/database and /health/redis. Each probe is bounded by a timeout
 * and never throws: a stopped database or Redis is reported, not crashed on.
 */
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
  return { status, database, redis };
}
