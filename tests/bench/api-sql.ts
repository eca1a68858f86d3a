/**
 * The `races.results` query path without HTTP (Kysely + driver + postgres.js), for R_sql: runs the
 * query for BENCH_SECONDS with BENCH_CONNECTIONS concurrent callers and prints one JSON line with the
 * queries per second and this process's CPU-µs per query. BENCH_DRIVER picks the driver.
 */
import { connectPostgres, type PostgresDriverKind } from '@f1/db/connection/connect';
import { raceResults } from '@f1/db/races/results';

const database = connectPostgres(process.env.F1_DATABASE_URL ?? '', 10, {
  driver: (process.env.BENCH_DRIVER ?? 'prepared-pool') as PostgresDriverKind,
});
const race = { season: 2024, round: 1 };
const run = async (seconds: number, connections: number) => {
  const until = performance.now() + seconds * 1000;
  let queries = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        await raceResults(database.db, race);
        queries++;
      }
    }),
  );
  return queries;
};
const connections = Number(process.env.BENCH_CONNECTIONS ?? 1);
await run(Number(process.env.BENCH_WARMUP ?? 1), connections);
const cpu = process.cpuUsage();
const started = performance.now();
const queries = await run(Number(process.env.BENCH_SECONDS ?? 5), connections);
const elapsed = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ qps: queries / elapsed, cpuUsPerQuery: (used.user + used.system) / queries }),
);
await database.close();
