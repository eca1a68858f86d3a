#!/usr/bin/env bun
/**
 * `bun run bench:ingest` — ingestion benchmarks (see ../shared/docs/benchmarks.md: ratios, one run,
 * a table printed and JSON written to tests/bench/results/; never a timed test).
 *
 * 1. Requests per season (2024) against a fake Jolpica generated from the Ergast CSV with the real
 *    paging (limit clamped to 100, rows not races), vs the minimum possible at 100 rows a page, and vs
 *    the per-round loop a naive client makes.
 * 2. 429s hit at 4 req/s: the same season against a source that enforces Jolpica's limits (4 requests
 *    in any second, 500 an hour) and answers 429 beyond them — paced as configured, and unpaced.
 * 3. CSV import of 1950–2024 (40k rows) in rows/s vs PostgreSQL `COPY FROM STDIN` of the same rows into
 *    the same tables (fresh migrated databases, runs alternated, median of 5). Target ≥ 0.5×.
 * 4. Laps + pit stops bulk write (the export's pit_stops.csv and a synthetic 2023 season of lap
 *    timings, ./lib/timing-import.ts) in rows/s vs `COPY FROM STDIN` of the same rows into the same
 *    tables (alternated, median of 5). Target ≥ 0.5×.
 *
 * Needs ../shared/data (or F1_TEST_DATA_DIR) and PostgreSQL (F1_TEST_DATABASE_URL, default local).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INGEST_TABLES } from '@f1/jobs/ingestion/report';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { readErgastExport } from '@f1/jobs/sources/csv-export/read-export';
import { SourceHttp } from '@f1/jobs/sources/http/http';
import { JolpicaClient, PAGE_LIMIT } from '@f1/jobs/sources/jolpica/client';
import { ingestSeason } from '@f1/jobs/sources/jolpica/ingest';
import { FAKE_BASE_URL, fakeJolpica } from '@f1/jobs/sources/jolpica/testing';
import { freshDatabase } from '@f1/testkit/postgres';
import { sharedDataDir } from '@f1/testkit/shared-data';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import postgres from 'postgres';
import { benchTimingImport } from './lib/timing-import.ts';

process.env.F1_TEST_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';
const csvDir = path.join(sharedDataDir(), 'ergast-csv');
const SEASON = 2024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// ---- 1 + 2: requests and 429s ----------------------------------------------------------------------
const fake = fakeJolpica({ exportDirs: [csvDir], seasons: [SEASON] });
const limits = { perSecond: 4, perHour: 500 };
const accepted: number[] = [];
const server = setupServer(
  http.get(`${FAKE_BASE_URL}/*`, ({ request }) => {
    const now = performance.now();
    const lastSecond = accepted.filter((t) => now - t < 1000).length;
    const lastHour = accepted.filter((t) => now - t < 3_600_000).length;
    if (lastSecond >= limits.perSecond || lastHour >= limits.perHour) {
      return HttpResponse.json({ detail: 'Request was throttled.' }, { status: 429 });
    }
    accepted.push(now);
    return fake.respond(request);
  }),
);
server.listen({ onUnhandledRequest: 'error' });

const data = readErgastExport(csvDir, { seasons: [SEASON] });
const pages = (rows: number) => Math.max(1, Math.ceil(rows / PAGE_LIMIT));
const minimum =
  pages(data.races.length) +
  1 + // the season's page (`/{season}/seasons`)
  pages(data.results.length) +
  pages(data.sprintResults.length) +
  pages(data.qualifying.length);
const sprintRounds = new Set(data.sprintResults.map((r) => r.round)).size;
const naive = 2 + data.races.length * 2 + sprintRounds; // schedule and season page, then results + qualifying per round, sprint per sprint round

async function seasonRun(requestsPerSecond: number) {
  accepted.length = 0;
  await Bun.sleep(1_100); // a fresh one-second window
  const database = await freshDatabase('postgres');
  const client = new JolpicaClient(
    new SourceHttp({ timeoutMs: 30_000, retryAttempts: 5, requestsPerSecond, hourlyBudget: 500 }),
    FAKE_BASE_URL,
  );
  const started = performance.now();
  const report = await ingestSeason({ db: database.db, client }, SEASON);
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  if (report.failures.length)
    throw new Error(`ingestion failed: ${JSON.stringify(report.failures)}`);
  return { ...client.stats, seconds, rounds: report.roundsWritten.length };
}

const paced = await seasonRun(4);
const unpaced = await seasonRun(100);
server.close();

// ---- 3: CSV import vs COPY -------------------------------------------------------------------------
const TABLES = INGEST_TABLES;

async function importOnce() {
  const database = await freshDatabase('postgres');
  const started = performance.now();
  const result = await importCsv(database.db, { dirs: [csvDir] });
  const seconds = (performance.now() - started) / 1000;
  return { database, rows: result.rows, seconds };
}

/** Text-format COPY lines of a table as our import left it (same rows, same ids). */
async function copyPayload(url: string, table: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const cols = await sql<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = ${table} AND table_schema = 'public'
      AND column_name NOT IN ('created_at', 'updated_at') ORDER BY ordinal_position`;
    const names = cols.map((c) => c.column_name);
    const chunks: string[] = [];
    const copy = await sql
      .unsafe(`COPY (SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM ${table}) TO STDOUT`)
      .readable();
    for await (const chunk of copy) chunks.push(chunk.toString());
    return { names, text: chunks.join('') };
  } finally {
    await sql.end();
  }
}

async function copyOnce(payloads: { table: string; names: string[]; text: string }[]) {
  const database = await freshDatabase('postgres');
  const sql = postgres(database.url ?? '', { max: 1, onnotice: () => {} });
  try {
    const started = performance.now();
    await sql.begin(async (tx) => {
      for (const { table, names, text } of payloads) {
        const writable = await tx
          .unsafe(`COPY ${table} (${names.map((n) => `"${n}"`).join(', ')}) FROM STDIN`)
          .writable();
        await new Promise<void>((resolve, reject) => {
          writable.on('error', reject);
          writable.on('finish', resolve);
          writable.end(text);
        });
      }
    });
    return (performance.now() - started) / 1000;
  } finally {
    await sql.end();
    await database.close();
  }
}

// The machine is shared and noisy: runs alternate (ours, COPY, ours, COPY, …) so both see the same
// load, and the medians of 5 are compared.
const REPEATS = 5;
const ours: { rows: number; seconds: number }[] = [];
const copySeconds: number[] = [];
let payloads: { table: string; names: string[]; text: string }[] = [];
for (let i = 0; i < REPEATS; i++) {
  const run = await importOnce();
  ours.push({ rows: run.rows, seconds: run.seconds });
  if (i === 0) {
    payloads = await Promise.all(
      TABLES.map(async (table) => ({
        table,
        ...(await copyPayload(run.database.url ?? '', table)),
      })),
    );
  }
  await run.database.close();
  copySeconds.push(await copyOnce(payloads));
}
const copyRows = payloads.reduce((n, p) => n + p.text.split('\n').filter(Boolean).length, 0);
// ---- 4: laps + pit stops vs COPY ------------------------------------------------------------------
const timing = await benchTimingImport(csvDir, REPEATS);

const oursRate = median(ours.map((r) => r.rows / r.seconds));
const copyRate = copyRows / median(copySeconds);
const results = {
  at: new Date().toISOString(),
  requests: {
    season: SEASON,
    made: paced.requests,
    minimum,
    naivePerRound: naive,
    rounds: paced.rounds,
  },
  throttling: {
    limits,
    paced: { requestsPerSecond: 4, ...paced },
    unpaced: { requestsPerSecond: 100, ...unpaced },
  },
  csvImport: {
    rows: ours[0]?.rows ?? 0,
    copyRows,
    oursSeconds: ours.map((r) => r.seconds),
    copySeconds,
    oursRowsPerSecond: Math.round(oursRate),
    copyRowsPerSecond: Math.round(copyRate),
    ratio: oursRate / copyRate,
    target: 0.5,
  },
  timingImport: timing,
};

const f = (n: number, d = 2) => n.toFixed(d);
console.log(`
Ingestion benchmark (${results.at})
| measure                                   | value                         |
| ----------------------------------------- | ----------------------------- |
| requests for season ${SEASON}                   | ${paced.requests} (minimum at limit=100: ${minimum}; per-round loop: ${naive}) |
| 429s at 4 req/s (source: 4/s, 500/h)      | ${paced.throttled} in ${paced.requests} requests, ${f(paced.seconds, 1)} s |
| 429s unpaced (100 req/s)                  | ${unpaced.throttled} (${unpaced.retries} retries), ${f(unpaced.seconds, 1)} s |
| CSV import 1950–2024, ours                | ${results.csvImport.oursRowsPerSecond} rows/s (median of ${ours.map((r) => f(r.seconds)).join(' / ')} s for ${results.csvImport.rows} rows) |
| COPY FROM STDIN, same rows                | ${results.csvImport.copyRowsPerSecond} rows/s (median of ${copySeconds.map((s) => f(s)).join(' / ')} s for ${copyRows} rows) |
| ratio ours ÷ COPY (target ≥ 0.5)          | ${f(results.csvImport.ratio)} |
| laps + pit stops write, ours              | ${timing.oursRowsPerSecond} rows/s (median of ${timing.oursSeconds.map((s) => f(s)).join(' / ')} s for ${timing.lapRows} laps + ${timing.pitStopRows} pit stops) |
| COPY FROM STDIN, same rows                | ${timing.copyRowsPerSecond} rows/s (median of ${timing.copySeconds.map((s) => f(s)).join(' / ')} s for ${timing.copyRows} rows) |
| ratio ours ÷ COPY (target ≥ 0.5)          | ${f(timing.ratio)} |
`);
const dir = path.join(import.meta.dir, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `ingest-${results.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), file)}`);
process.exit(0);
