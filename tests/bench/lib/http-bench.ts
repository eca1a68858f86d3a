/**
 * What the HTTP benchmarks (`bench api`, `bench ergast`) share: the protocol (warm-up, then RUNS ×
 * SECONDS at each connection count, server on one core and the load on the other), the measurements
 * with median and min–max, the byte-for-byte body check, the server processes (tests/bench/api-server.ts)
 * and the results file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ServerProcess, startProcess } from '@f1/testkit/processes';
import { type Summary, summarize, type WrkRun, wrk } from './wrk.ts';

export const QUICK = process.argv.includes('--quick');
export const PROTOCOL = {
  runs: QUICK ? 1 : 3,
  seconds: QUICK ? 3 : 10,
  warmupSeconds: QUICK ? 1 : 3,
  serverCore: 0,
  loadCore: 1,
} as const;
export const CONNECTIONS = [1, 50] as const;

export interface Measurement {
  variant: string;
  connections: number;
  rps: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  cpuUsPerRequest: Summary;
  rssMb: number;
  errors: number;
}

/** Exits with a hint when a tool the benchmark needs is not installed. */
export function requireTools(bench: string, tools: readonly string[], install: string): void {
  for (const tool of tools) {
    if (!Bun.which(tool)) {
      console.error(`bench ${bench} needs ${tool} (apt-get install -y ${install})`);
      process.exit(2);
    }
  }
}

/** Throws unless the compared variants returned the same bytes. */
export function sameBytes(what: string, a: string, b: string): void {
  if (a !== b)
    throw new Error(`bodies differ (${what}): the compared variants must return the same bytes`);
  console.log(`  bytes identical: ${what} (${a.length} B)`);
}

/** The measurements of one benchmark run, and the results file they end in. */
export function benchRun(options: { labelWidth: number }) {
  const measurements: Measurement[] = [];
  const loadBefore = os.loadavg();

  /**
   * wrk against `url` (with `headers` on every request) at each connection count: warm-up, then the
   * runs, summarized and printed.
   */
  async function measure(
    variant: string,
    server: ServerProcess,
    url: string,
    headers?: Record<string, string>,
  ): Promise<void> {
    for (const connections of CONNECTIONS) {
      const base = { url, connections, pid: server.pid, core: PROTOCOL.loadCore, headers };
      await wrk({ ...base, seconds: PROTOCOL.warmupSeconds });
      const runs: WrkRun[] = [];
      for (let i = 0; i < PROTOCOL.runs; i++)
        runs.push(await wrk({ ...base, seconds: PROTOCOL.seconds }));
      const m: Measurement = {
        variant,
        connections,
        rps: summarize(runs.map((r) => r.rps)),
        p50Ms: summarize(runs.map((r) => r.p50Ms)),
        p99Ms: summarize(runs.map((r) => r.p99Ms)),
        cpuUsPerRequest: summarize(runs.map((r) => r.cpuUsPerRequest)),
        rssMb: Math.max(...runs.map((r) => r.rssMb)),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
      };
      measurements.push(m);
      const range = `${m.rps.min.toFixed(0)}–${m.rps.max.toFixed(0)}`;
      console.log(
        `  ${variant.padEnd(options.labelWidth)} c${String(connections).padEnd(3)} ${m.rps.median.toFixed(0).padStart(7)} req/s (${range})  p50 ${m.p50Ms.median.toFixed(2)} ms  p99 ${m.p99Ms.median.toFixed(2)} ms  ${m.cpuUsPerRequest.median.toFixed(0)} CPU-µs/req  ${m.rssMb} MB${m.errors ? `  ERRORS ${m.errors}` : ''}`,
      );
    }
  }

  /** The median req/s of a variant at a connection count (NaN when it was not measured). */
  const rps = (variant: string, connections: number): number =>
    measurements.find((m) => m.variant === variant && m.connections === connections)?.rps.median ??
    Number.NaN;

  /**
   * Writes tests/bench/results/<name>-<date>.json: `head` (what was measured), the protocol, the
   * machine, the measurements and the ratios.
   */
  function writeResults(
    name: string,
    results: { head?: Record<string, unknown>; ratios: unknown },
  ): void {
    const resultsDir = path.join(import.meta.dir, '..', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const date = new Date().toISOString();
    const file = path.join(resultsDir, `${name}-${date.replace(/[:.]/g, '-')}.json`);
    const machine = {
      cpus: os.cpus().length,
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
      bun: Bun.version,
    };
    const body = {
      benchmark: name,
      date,
      quick: QUICK,
      ...results.head,
      protocol: PROTOCOL,
      machine,
      measurements,
      ratios: results.ratios,
    };
    writeFileSync(file, JSON.stringify(body, null, 2));
    console.log(`\nwritten ${path.relative(path.join(import.meta.dir, '..', '..', '..'), file)}`);
  }

  return { measurements, measure, rps, writeResults };
}

/**
 * The benchmark's server processes (tests/bench/api-server.ts on the server core), each with the
 * production environment, the limiter on but never limiting, and `extra` on top; `stopAll` in `finally`.
 */
export function benchServers(env: { databaseUrl: string; redisUrl: string }) {
  const children: ServerProcess[] = [];
  const prefix = `f1bench:${process.pid}:`;
  const start = async (extra: Record<string, string>): Promise<ServerProcess> => {
    const child = await startProcess(['bun', path.join(import.meta.dir, '..', 'api-server.ts')], {
      core: PROTOCOL.serverCore,
      env: {
        NODE_ENV: 'production',
        F1_ENVIRONMENT: 'production',
        F1_JWT_SECRET_KEY: 'bench-secret-'.padEnd(48, 'x'),
        F1_LOG_LEVEL: 'silent',
        F1_DATABASE_URL: env.databaseUrl,
        F1_REDIS_URL: env.redisUrl,
        F1_REDIS_KEY_PREFIX: prefix,
        // Limiter on but never limiting: a million requests per second.
        F1_RATE_LIMIT_REQUESTS: '1000000',
        F1_RATE_LIMIT_WINDOW: '1',
        BENCH_VARIANT: 'app',
        ...extra,
      },
    });
    children.push(child);
    return child;
  };
  const stop = async (child: ServerProcess): Promise<void> => {
    await child.stop();
    children.splice(children.indexOf(child), 1);
  };
  const stopAll = async (): Promise<void> => {
    for (const child of [...children]) await stop(child);
  };
  return { start, stop, stopAll };
}
