/**
 * `bun run bench api` — the read API's speed, as ratios against ceilings measured side by side in one
 * run (see ../shared/docs/benchmarks.md):
 *
 *   R_fast  standings.drivers from the response cache ÷ bare Bun.serve returning the same bytes, with
 *           the rate limiter on (as deployed; one Redis round trip per hit) and off
 *   R_cache standings.drivers through tRPC with a Redis hit ÷ a tRPC no-op procedure
 *   R_db    races.results uncached ÷ 1/(1/X_noop + 1/X_pgbench) for the same SQL (pgbench -M prepared)
 *   R_sql   the same query without HTTP (Kysely + driver) ÷ pgbench, for each driver
 *   R_trpc  tRPC no-op ÷ bare Bun.serve (the tRPC tax, for reference)
 *   and races.results uncached with kysely-postgres-js vs our prepared-statement driver.
 *
 * Server processes on core 0, wrk (and pgbench) on core 1; warm-up, then RUNS × SECONDS at -c1 and
 * -c50; median and min–max reported; server CPU-µs per request and peak RSS recorded; bodies compared
 * byte for byte between the variants that are compared. The 2024 season (real data from
 * ../shared/data) is loaded into a fresh database, dropped at the end. `--quick` for a short smoke run;
 * `--rest` for only the REST rows (standings and races.results under /api/v1: as deployed, without the
 * response cache, uncached). `--metrics` for only the metrics rows: standings from the response cache
 * and through tRPC with a Redis hit, each with F1_METRICS_TOKEN unset (no counting) and set (every
 * request counted), side by side: R_metrics = on ÷ off. `--auth` for only the response-cache hit,
 * anonymous and with an API key (`X-API-Key`, checked and rate-limited per key before the hit) side by side in one server process
 * (anonymous measured before and after, R_auth against the faster), plus the API-key hit with
 * F1_API_KEY_CACHE_SECONDS=0 (a database lookup per request).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { raceResultsQuery } from '@f1/db/races/results';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { freshDatabase } from '@f1/testkit/postgres';
import { loadCsvSeasons } from '@f1/testkit/shared-data';
import {
  benchRun,
  benchServers,
  CONNECTIONS,
  type Measurement,
  PROTOCOL,
  requireTools,
  sameBytes,
} from './lib/http-bench.ts';
import { summarize } from './lib/wrk.ts';

/** Only the REST rows (section 4): for comparing REST before/after a change to /api/v1. */
const REST_ONLY = process.argv.includes('--rest');
/** Only the metrics rows (section 5): the cost of counting every request (F1_METRICS_TOKEN set). */
const METRICS_ONLY = process.argv.includes('--metrics');
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** Only the response-cache hit, anonymous vs with an API key (section 0). */
const AUTH_ONLY = process.argv.includes('--auth');
const { runs: RUNS, seconds: SECONDS, warmupSeconds: WARMUP, serverCore, loadCore } = PROTOCOL;

requireTools('api', ['wrk', 'taskset', 'pgbench'], 'wrk util-linux postgresql-client');
process.env.F1_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.F1_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { measurements, measure, rps, writeResults } = benchRun({ labelWidth: 34 });

const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const PATHS = {
  standings: `/trpc/standings.drivers?input=${input({ season: 2024 })}`,
  results: `/trpc/races.results?input=${input({ season: 2024, round: 1 })}`,
  noop: '/bench/trpc/noop',
  restStandings: '/api/v1/seasons/2024/standings/drivers',
  restResults: '/api/v1/seasons/2024/races/1/results',
};

async function pgbench(sqlText: string, url: string): Promise<void> {
  const dbUrl = new URL(url);
  const script = path.join(os.tmpdir(), `f1-bench-${process.pid}.sql`);
  writeFileSync(script, sqlText);
  for (const connections of CONNECTIONS) {
    const rps: number[] = [];
    const latency: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const seconds = i === 0 ? WARMUP : SECONDS; // run 0 is the warm-up
      const child = Bun.spawn(
        [
          'taskset',
          '-c',
          String(loadCore),
          'pgbench',
          '-n',
          '-M',
          'prepared',
          '-f',
          script,
          '-c',
          String(connections),
          '-j',
          '1',
          '-T',
          String(seconds),
          '-h',
          dbUrl.hostname,
          '-p',
          dbUrl.port || '5432',
          '-U',
          dbUrl.username || 'postgres',
          dbUrl.pathname.slice(1),
        ],
        { stdout: 'pipe', stderr: 'pipe' },
      );
      const out = await new Response(child.stdout).text();
      await child.exited;
      if (i === 0) continue;
      const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
      if (!Number.isFinite(tps))
        throw new Error(`pgbench failed: ${out}${await new Response(child.stderr).text()}`);
      rps.push(tps);
      latency.push(Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? Number.NaN));
    }
    const m: Measurement = {
      variant: 'pgbench -M prepared (same SQL)',
      connections,
      rps: summarize(rps),
      p50Ms: summarize(latency),
      p99Ms: summarize([Number.NaN]),
      cpuUsPerRequest: summarize([Number.NaN]),
      rssMb: Number.NaN,
      errors: 0,
    };
    measurements.push(m);
    console.log(
      `  ${m.variant.padEnd(34)} c${String(connections).padEnd(3)} ${m.rps.median.toFixed(0).padStart(7)} tps    (avg latency ${m.p50Ms.median.toFixed(2)} ms)`,
    );
  }
}

async function sqlPath(driver: string, url: string): Promise<void> {
  for (const connections of CONNECTIONS) {
    const runs: { qps: number; cpuUsPerQuery: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const child = Bun.spawn(
        ['taskset', '-c', String(serverCore), 'bun', path.join(import.meta.dir, 'api-sql.ts')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            F1_DATABASE_URL: url,
            BENCH_DRIVER: driver,
            BENCH_CONNECTIONS: String(connections),
            BENCH_SECONDS: String(SECONDS),
            BENCH_WARMUP: String(WARMUP),
          },
          stdout: 'pipe',
          stderr: 'inherit',
        },
      );
      const out = await new Response(child.stdout).text();
      await child.exited;
      runs.push(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    }
    const m: Measurement = {
      variant: `races.results SQL path, no HTTP (${driver})`,
      connections,
      rps: summarize(runs.map((r) => r.qps)),
      p50Ms: summarize([Number.NaN]),
      p99Ms: summarize([Number.NaN]),
      cpuUsPerRequest: summarize(runs.map((r) => r.cpuUsPerQuery)),
      rssMb: Number.NaN,
      errors: 0,
    };
    measurements.push(m);
    console.log(
      `  ${m.variant.padEnd(34)} c${String(connections).padEnd(3)} ${m.rps.median.toFixed(0).padStart(7)} q/s    ${m.cpuUsPerRequest.median.toFixed(0)} CPU-µs/query`,
    );
  }
}

const database = await freshDatabase('postgres');
const servers = benchServers({ databaseUrl: database.url ?? '', redisUrl });
const { start, stop } = servers;
try {
  console.log('loading the 2024 season …');
  const loaded = await loadCsvSeasons(database.db, { seasons: [2024] });
  console.log(`  ${JSON.stringify(loaded).slice(0, 160)}`);

  if (METRICS_ONLY) await metricsOnOff();
  // 5. The cost of metrics: the same requests with counting off and on, both servers up at once.
  async function metricsOnOff() {
    console.log('metrics off vs on');
    for (const [name, extra] of [
      ['standings: response cache', {}],
      ['standings: tRPC + Redis hit', { BENCH_RESPONSE_CACHE: 'off' }],
    ] as const) {
      const off = await start(extra);
      const on = await start({ ...extra, F1_METRICS_TOKEN: METRICS_TOKEN });
      const body = await (await fetch(`${off.url}${PATHS.standings}`)).text();
      sameBytes(
        `${name}, metrics on`,
        body,
        await (await fetch(`${on.url}${PATHS.standings}`)).text(),
      );
      await measure(`${name}, metrics off`, off, `${off.url}${PATHS.standings}`);
      await measure(`${name}, metrics on`, on, `${on.url}${PATHS.standings}`);
      const scraped = await fetch(`${on.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const counted =
        /^f1_http_requests_total\{route="trpc standings.drivers",status="200"\} (\d+)$/m.exec(
          await scraped.text(),
        )?.[1];
      console.log(`    counted by /metrics: ${counted ?? 'nothing'} requests`);
      if (!counted) throw new Error('metrics on: /metrics did not count the requests');
      await stop(off);
      await stop(on);
    }
  }

  // 0. A response-cache hit for an anonymous caller and for an API key, in the same process.
  async function authenticatedHits() {
    console.log('response cache: anonymous vs authenticated hit');
    const { key } = await issueApiKey(database.db, {
      name: 'bench-ml',
      role: 'ml_service',
      createdBy: null,
    });
    const headers = { 'x-api-key': key };
    const server = await start({});
    const url = `${server.url}${PATHS.standings}`;
    const anonymous = await (await fetch(url)).text();
    const authed = await fetch(url, { headers });
    if (authed.headers.get('cache-control') !== 'private, max-age=0')
      throw new Error(`authenticated hit: cache-control ${authed.headers.get('cache-control')}`);
    sameBytes('authenticated vs anonymous hit', anonymous, await authed.text());
    await measure('standings: response cache', server, url);
    await measure('standings: response cache, API key', server, url, headers);
    // Again after the API-key row, so the order (a warmer process later) cannot favour it.
    await measure('standings: response cache, again', server, url);
    await stop(server);
    const uncachedKeys = await start({ F1_API_KEY_CACHE_SECONDS: '0' });
    const again = `${uncachedKeys.url}${PATHS.standings}`;
    sameBytes('API key, no key cache', anonymous, await (await fetch(again, { headers })).text());
    await measure('standings: API key, key cache off', uncachedKeys, again, headers);
    await stop(uncachedKeys);
  }
  if (AUTH_ONLY) await authenticatedHits();
  else if (!REST_ONLY && !METRICS_ONLY) await ceilingsAndTrpc();
  async function ceilingsAndTrpc() {
    // 1. The response cache, and the bare ceiling returning the very same response.
    console.log('response cache vs bare Bun.serve');
    const fast = await start({});
    // As wrk asks (no Accept-Encoding): the identity bytes and headers the bare server replays.
    const first = await fetch(`${fast.url}${PATHS.standings}`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const standingsBody = await first.text();
    sameBytes(
      'response cache, second request',
      standingsBody,
      await (await fetch(`${fast.url}${PATHS.standings}`)).text(),
    );
    const responseFile = path.join(os.tmpdir(), `f1-bench-response-${process.pid}.json`);
    writeFileSync(
      responseFile,
      JSON.stringify({ status: first.status, headers: [...first.headers], body: standingsBody }),
    );
    const bare = await start({ BENCH_VARIANT: 'bare', BENCH_RESPONSE_FILE: responseFile });
    sameBytes(
      'bare Bun.serve',
      standingsBody,
      await (await fetch(`${bare.url}${PATHS.standings}`)).text(),
    );
    await measure('bare Bun.serve (same bytes)', bare, `${bare.url}${PATHS.standings}`);
    await stop(bare);
    await measure('standings: response cache', fast, `${fast.url}${PATHS.standings}`);
    const cachedResults = await (await fetch(`${fast.url}${PATHS.results}`)).text();
    await stop(fast);
    const unlimited = await start({ BENCH_RATE_LIMIT: 'off' });
    sameBytes(
      'response cache, limiter off',
      standingsBody,
      await (await fetch(`${unlimited.url}${PATHS.standings}`)).text(),
    );
    await measure(
      'standings: response cache, limiter off',
      unlimited,
      `${unlimited.url}${PATHS.standings}`,
    );
    await stop(unlimited);

    // 2. tRPC with a Redis hit vs a tRPC no-op (response cache off).
    console.log('tRPC + Redis hit vs tRPC no-op');
    const trpc = await start({ BENCH_RESPONSE_CACHE: 'off' });
    sameBytes(
      'tRPC + Redis hit vs response cache',
      standingsBody,
      await (await fetch(`${trpc.url}${PATHS.standings}`)).text(),
    );
    await measure('tRPC no-op', trpc, `${trpc.url}${PATHS.noop}`);
    await measure('standings: tRPC + Redis hit', trpc, `${trpc.url}${PATHS.standings}`);
    await stop(trpc);

    // 3. Uncached races.results with each driver, and pgbench of the same statement.
    console.log('races.results uncached vs pgbench -M prepared');
    for (const driver of ['prepared-pool', 'kysely-postgres-js']) {
      const db = await start({
        BENCH_RESPONSE_CACHE: 'off',
        BENCH_QUERY_CACHE: 'off',
        BENCH_DRIVER: driver,
      });
      sameBytes(
        `races.results uncached (${driver}) vs cached`,
        cachedResults,
        await (await fetch(`${db.url}${PATHS.results}`)).text(),
      );
      await measure(`races.results uncached (${driver})`, db, `${db.url}${PATHS.results}`);
      await stop(db);
    }
  }
  // 4. The same reads over REST (/api/v1): as deployed, then without the response cache, then uncached.
  if (!(METRICS_ONLY || AUTH_ONLY)) console.log('REST /api/v1');
  for (const [label, extra] of METRICS_ONLY || AUTH_ONLY
    ? []
    : ([
        ['as deployed', {}],
        ['response cache off', { BENCH_RESPONSE_CACHE: 'off' }],
        ['uncached', { BENCH_RESPONSE_CACHE: 'off', BENCH_QUERY_CACHE: 'off' }],
      ] as const)) {
    const rest = await start(extra);
    for (const [name, route] of [
      ['standings', PATHS.restStandings],
      ['races.results', PATHS.restResults],
    ] as const) {
      const warm = await fetch(`${rest.url}${route}`);
      if (warm.status !== 200) throw new Error(`REST ${route}: ${warm.status}`);
      await measure(`REST ${name}: ${label}`, rest, `${rest.url}${route}`);
    }
    await stop(rest);
  }
  // The same query without HTTP (R_sql), on core 0 like the servers.
  if (!REST_ONLY && !METRICS_ONLY && !AUTH_ONLY)
    for (const driver of ['prepared-pool', 'kysely-postgres-js'])
      await sqlPath(driver, database.url ?? '');
  if (!REST_ONLY && !METRICS_ONLY && !AUTH_ONLY) {
    const compiled = raceResultsQuery(database.db, { season: 2024, round: 1 }).compile();
    const pgSql = compiled.sql.replace(/\$(\d+)/g, (_, n: string) => `:p${n}`);
    const sets = compiled.parameters
      .map((value, i) => `\\set p${i + 1} ${String(value)}`)
      .join('\n');
    await pgbench(`${sets}\n${pgSql.replace(/\s+/g, ' ')};\n`, database.url ?? '');
  }
} finally {
  await servers.stopAll();
  await database.close();
}

// Ratios from medians.
const ratios = CONNECTIONS.map((c) => {
  const noop = rps('tRPC no-op', c);
  const pg = rps('pgbench -M prepared (same SQL)', c);
  const ceiling = 1 / (1 / noop + 1 / pg);
  return {
    connections: c,
    R_fast: rps('standings: response cache', c) / rps('bare Bun.serve (same bytes)', c),
    // Against the faster of the two anonymous rows around it (the conservative ratio).
    R_auth:
      rps('standings: response cache, API key', c) /
      Math.max(rps('standings: response cache', c), rps('standings: response cache, again', c)),
    R_auth_key_cache_off:
      rps('standings: API key, key cache off', c) / rps('standings: response cache', c),
    R_fast_limiter_off:
      rps('standings: response cache, limiter off', c) / rps('bare Bun.serve (same bytes)', c),
    R_cache: rps('standings: tRPC + Redis hit', c) / noop,
    R_db: rps('races.results uncached (prepared-pool)', c) / ceiling,
    R_db_kysely_postgres_js: rps('races.results uncached (kysely-postgres-js)', c) / ceiling,
    R_sql: rps('races.results SQL path, no HTTP (prepared-pool)', c) / pg,
    R_sql_kysely_postgres_js: rps('races.results SQL path, no HTTP (kysely-postgres-js)', c) / pg,
    R_trpc: noop / rps('bare Bun.serve (same bytes)', c),
    prepared_vs_kysely_postgres_js:
      rps('races.results uncached (prepared-pool)', c) /
      rps('races.results uncached (kysely-postgres-js)', c),
    R_metrics_response_cache:
      rps('standings: response cache, metrics on', c) /
      rps('standings: response cache, metrics off', c),
    R_metrics_trpc:
      rps('standings: tRPC + Redis hit, metrics on', c) /
      rps('standings: tRPC + Redis hit, metrics off', c),
    prepared_vs_kysely_postgres_js_sql:
      rps('races.results SQL path, no HTTP (prepared-pool)', c) /
      rps('races.results SQL path, no HTTP (kysely-postgres-js)', c),
  };
});

if (!REST_ONLY) {
  console.log('\nratio (median req/s)              -c1      -c50    target');
  const targets: Record<string, string> = {
    R_fast: '≥ 0.8',
    R_auth: '≥ 0.7',
    R_cache: '≥ 0.9',
    R_db: '≥ 0.7',
    R_sql: '≥ 0.7',
    R_metrics_response_cache: '≥ 0.95',
    R_metrics_trpc: '≥ 0.95',
  };
  // Only the ratios whose rows this run measured (--auth, --metrics measure a few).
  const measured = (key: string) =>
    ratios.some((r) => Number.isFinite(r[key as keyof typeof r] as number));
  for (const key of Object.keys(ratios[0] ?? {}).filter(
    (k) => k !== 'connections' && measured(k),
  )) {
    const values = ratios.map((r) => (r[key as keyof typeof r] as number).toFixed(2).padStart(8));
    console.log(`${key.padEnd(32)} ${values.join(' ')}    ${targets[key] ?? ''}`);
  }
}

writeResults('api', { ratios });
