/**
 * `bun run bench ergast` — the Ergast facade's hot path, as a ratio against a ceiling measured side by
 * side in one run (same protocol as `bench api`, see ../shared/docs/benchmarks.md):
 *
 *   R_fast_ergast  /ergast/f1/2024/driverstandings.json from the response cache ÷ bare Bun.serve
 *                  returning the same status, headers and bytes; with the rate limiter on (as deployed)
 *                  and off.
 *
 * Server processes (tests/bench/api-server.ts) on core 0, wrk on core 1; warm-up, then RUNS × SECONDS
 * at -c1 and -c50; median and min–max; server CPU-µs per request and peak RSS; bodies compared byte for
 * byte. The 2024 season of the export (../shared/data) is loaded into a fresh PostgreSQL database,
 * dropped at the end. `--quick` for a short smoke run. Writes tests/bench/results/ergast-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContractData } from '@f1/testkit/ergast-contract-data';
import { freshDatabase } from '@f1/testkit/postgres';
import { type ServerProcess as Child, startProcess } from '@f1/testkit/processes';
import { type Summary, summarize, type WrkRun, wrk } from './lib/wrk.ts';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 3 : 10;
const WARMUP = QUICK ? 1 : 3;
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const CONNECTIONS = [1, 50] as const;
const ROOT = path.join(import.meta.dir, '..', '..');
const STANDINGS = '/ergast/f1/2024/driverstandings.json';
const TARGET = 0.8;

for (const tool of ['wrk', 'taskset']) {
  if (!Bun.which(tool)) {
    console.error(`bench ergast needs ${tool} (apt-get install -y wrk util-linux)`);
    process.exit(2);
  }
}
process.env.F1_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.F1_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Measurement {
  variant: string;
  connections: number;
  rps: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  cpuUsPerRequest: Summary;
  rssMb: number;
  errors: number;
}
const measurements: Measurement[] = [];
const loadBefore = os.loadavg();

async function measure(variant: string, server: Child, url: string): Promise<void> {
  for (const connections of CONNECTIONS) {
    const base = { url, connections, pid: server.pid, core: LOAD_CORE };
    await wrk({ ...base, seconds: WARMUP });
    const runs: WrkRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await wrk({ ...base, seconds: SECONDS }));
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
      `  ${variant.padEnd(40)} c${String(connections).padEnd(3)} ${m.rps.median.toFixed(0).padStart(7)} req/s (${range})  p50 ${m.p50Ms.median.toFixed(2)} ms  p99 ${m.p99Ms.median.toFixed(2)} ms  ${m.cpuUsPerRequest.median.toFixed(0)} CPU-µs/req  ${m.rssMb} MB${m.errors ? `  ERRORS ${m.errors}` : ''}`,
    );
  }
}

const sameBytes = (what: string, a: string, b: string) => {
  if (a !== b)
    throw new Error(`bodies differ (${what}): the compared variants must return the same bytes`);
  console.log(`  bytes identical: ${what} (${a.length} B)`);
};

const database = await freshDatabase('postgres');
const children: Child[] = [];
try {
  console.log('loading the 2024 season …');
  console.log(`  ${JSON.stringify(await loadContractData(database.db, { seasons: [2024] }))}`);
  const prefix = `f1bench:${process.pid}:`;
  const start = async (extra: Record<string, string>) => {
    const child = await startProcess(['bun', path.join(import.meta.dir, 'api-server.ts')], {
      core: SERVER_CORE,
      env: {
        NODE_ENV: 'production',
        F1_ENVIRONMENT: 'production',
        F1_JWT_SECRET_KEY: 'bench-secret-'.padEnd(48, 'x'),
        F1_LOG_LEVEL: 'silent',
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: redisUrl,
        F1_REDIS_KEY_PREFIX: prefix,
        // Limiter on but never limiting: a million requests per second.
        F1_RATE_LIMIT_REQUESTS: '1000000',
        F1_RATE_LIMIT_WINDOW: '1',
        // The facade's own per-second policy (20/s by default) at its maximum: counted, never limiting.
        F1_ERGAST_FACADE_RATE_LIMIT: '100000',
        BENCH_VARIANT: 'app',
        ...extra,
      },
    });
    children.push(child);
    return child;
  };
  const stop = async (child: Child) => {
    await child.stop();
    children.splice(children.indexOf(child), 1);
  };

  console.log('facade standings from the response cache vs bare Bun.serve');
  const fast = await start({});
  const first = await fetch(`${fast.url}${STANDINGS}`);
  const body = await first.text();
  if (first.status !== 200)
    throw new Error(`${STANDINGS}: ${first.status} ${body.slice(0, 200)} (is the facade merged?)`);
  sameBytes(
    'response cache, second request',
    body,
    await (await fetch(`${fast.url}${STANDINGS}`)).text(),
  );
  const responseFile = path.join(os.tmpdir(), `f1-bench-ergast-${process.pid}.json`);
  writeFileSync(
    responseFile,
    JSON.stringify({ status: first.status, headers: [...first.headers], body }),
  );
  const bare = await start({ BENCH_VARIANT: 'bare', BENCH_RESPONSE_FILE: responseFile });
  sameBytes('bare Bun.serve', body, await (await fetch(`${bare.url}${STANDINGS}`)).text());
  await measure('bare Bun.serve (same bytes)', bare, `${bare.url}${STANDINGS}`);
  await stop(bare);
  await measure('ergast standings: response cache', fast, `${fast.url}${STANDINGS}`);
  await stop(fast);
  const unlimited = await start({ BENCH_RATE_LIMIT: 'off' });
  // The envelope's `url` names the host and port the request came to: this server's, not the first's.
  sameBytes(
    'response cache, limiter off (its own port in MRData.url)',
    body,
    (await (await fetch(`${unlimited.url}${STANDINGS}`)).text()).replaceAll(
      new URL(unlimited.url).host,
      new URL(fast.url).host,
    ),
  );
  await measure(
    'ergast standings: response cache, limiter off',
    unlimited,
    `${unlimited.url}${STANDINGS}`,
  );
  await stop(unlimited);
} finally {
  for (const child of children) await child.stop();
  await database.close();
}

const rps = (variant: string, connections: number) =>
  measurements.find((m) => m.variant === variant && m.connections === connections)?.rps.median ??
  Number.NaN;
const ratios = CONNECTIONS.map((c) => ({
  connections: c,
  R_fast_ergast: rps('ergast standings: response cache', c) / rps('bare Bun.serve (same bytes)', c),
  R_fast_ergast_limiter_off:
    rps('ergast standings: response cache, limiter off', c) / rps('bare Bun.serve (same bytes)', c),
}));
console.log('\nratio (median req/s)              -c1      -c50    target');
for (const key of ['R_fast_ergast', 'R_fast_ergast_limiter_off'] as const) {
  const values = ratios.map((r) => r[key].toFixed(2).padStart(8));
  console.log(
    `${key.padEnd(32)} ${values.join(' ')}    ${key === 'R_fast_ergast' ? `≥ ${TARGET}` : ''}`,
  );
}

const resultsDir = path.join(import.meta.dir, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `ergast-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      benchmark: 'ergast',
      date: new Date().toISOString(),
      quick: QUICK,
      path: STANDINGS,
      protocol: {
        runs: RUNS,
        seconds: SECONDS,
        warmupSeconds: WARMUP,
        serverCore: SERVER_CORE,
        loadCore: LOAD_CORE,
      },
      machine: {
        cpus: os.cpus().length,
        loadavgBefore: loadBefore,
        loadavgAfter: os.loadavg(),
        bun: Bun.version,
      },
      measurements,
      ratios,
    },
    null,
    2,
  ),
);
console.log(`\nwritten ${path.relative(ROOT, file)}`);
