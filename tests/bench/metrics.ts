/**
 * `bun run bench metrics` — what counting costs per request, in process: `app.handle` of the same
 * requests on two apps over the same database, one with F1_METRICS_TOKEN unset (nothing counted) and
 * one with it set, alternating in short blocks so drift on a shared machine hits both alike. Rows: a
 * response-cache hit (tRPC GET answered from the in-process LRU) and a tRPC call with a query-cache
 * hit (response cache off). Reports the median CPU-µs per request of each and the difference; no
 * sockets (wrk rows: `bun run bench api --metrics`). Embedded PGlite, no Redis; `--quick` for fewer blocks.
 */
import { silentLogger } from '@f1/core/logger';
import { createApp } from '@f1/server/app';
import { Services } from '@f1/server/services';
import { testConfig } from '@f1/testkit/config';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { freshDatabase } from '@f1/testkit/postgres';
import { QUICK } from './lib/http-bench.ts';

const BLOCKS = QUICK ? 6 : 30;
const PER_BLOCK = 2_000;
const TOKEN = 'bench-metrics-token-0123456789';
const URL_ = `http://bench.local/trpc/circuits.list?input=${encodeURIComponent('{"json":{"limit":5}}')}`;

const database = await freshDatabase('pglite');
await seedMiniSeason(database.db);

function app(metrics: boolean, responseCache: boolean) {
  const config = testConfig({
    F1_RATE_LIMIT_REQUESTS: '1000000',
    F1_RATE_LIMIT_WINDOW: '1',
    ...(metrics ? { F1_METRICS_TOKEN: TOKEN } : {}),
  });
  const services = new Services({
    config,
    database,
    redis: null,
    logger: silentLogger,
    cache: { responseCache },
  });
  return createApp(services);
}

/** CPU-µs per request over one block (user + system of this process). */
async function block(target: ReturnType<typeof createApp>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < PER_BLOCK; i++) {
    const res = await target.handle(new Request(URL_));
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.arrayBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / PER_BLOCK;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const rows: Record<string, { off: number; on: number; ratio: number; extraUs: number }> = {};
for (const [name, responseCache] of [
  ['response-cache hit', true],
  ['tRPC + query-cache hit', false],
] as const) {
  const off = app(false, responseCache);
  const on = app(true, responseCache);
  const bodies = await Promise.all(
    [off, on].map(async (a) => (await a.handle(new Request(URL_))).text()),
  );
  if (bodies[0] !== bodies[1]) throw new Error(`${name}: bodies differ with metrics on`);
  await block(off); // warm-up
  await block(on);
  const samples = { off: [] as number[], on: [] as number[] };
  for (let i = 0; i < BLOCKS; i++) {
    // Alternate which goes first, so neither always runs on the warmer (or noisier) half.
    const order = i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const variant of order) samples[variant].push(await block(variant === 'on' ? on : off));
  }
  const offUs = median(samples.off);
  const onUs = median(samples.on);
  rows[name] = { off: offUs, on: onUs, ratio: offUs / onUs, extraUs: onUs - offUs };
  console.log(
    `${name.padEnd(24)} off ${offUs.toFixed(1).padStart(6)} CPU-µs/req  on ${onUs.toFixed(1).padStart(6)}  ` +
      `throughput on÷off ${(offUs / onUs).toFixed(3)}  (+${(onUs - offUs).toFixed(2)} µs; ` +
      `off ${Math.min(...samples.off).toFixed(1)}–${Math.max(...samples.off).toFixed(1)}, ` +
      `on ${Math.min(...samples.on).toFixed(1)}–${Math.max(...samples.on).toFixed(1)})`,
  );
}
await database.close();
console.log(JSON.stringify({ blocks: BLOCKS, perBlock: PER_BLOCK, rows }));
