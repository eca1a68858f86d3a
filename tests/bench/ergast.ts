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

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContractData } from '@f1/testkit/ergast-contract-data';
import { freshDatabase } from '@f1/testkit/postgres';
import { benchRun, benchServers, CONNECTIONS, requireTools, sameBytes } from './lib/http-bench.ts';

const STANDINGS = '/ergast/f1/2024/driverstandings.json';
const TARGET = 0.8;

requireTools('ergast', ['wrk', 'taskset'], 'wrk util-linux');
process.env.F1_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.F1_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { measure, rps, writeResults } = benchRun({ labelWidth: 40 });

const database = await freshDatabase('postgres');
const servers = benchServers({ databaseUrl: database.url ?? '', redisUrl });
// The facade's own per-second policy (20/s by default) at its maximum: counted, never limiting.
const start = (extra: Record<string, string>) =>
  servers.start({ F1_ERGAST_FACADE_RATE_LIMIT: '100000', ...extra });
const { stop } = servers;
try {
  console.log('loading the 2024 season …');
  console.log(`  ${JSON.stringify(await loadContractData(database.db, { seasons: [2024] }))}`);
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
  await servers.stopAll();
  await database.close();
}

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

writeResults('ergast', { head: { path: STANDINGS }, ratios });
