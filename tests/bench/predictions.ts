#!/usr/bin/env bun
/**
 * `bun run bench predictions` — R_bulk for predictions: rows/s of the bulk submission path
 * (`submitPredictionSets`: validation against entry lists, snapshot hashing, idempotency look-ups,
 * supersede, set rows and prediction rows, and scoring the races, which commits with them) ÷ rows/s of PostgreSQL `COPY … FROM STDIN` of the same
 * prediction rows into the same table (whose set rows are created beforehand, untimed — COPY gets
 * the easier job). 5,000 races × 20 drivers = 100,000 rows, on a fresh database each time.
 * Runs alternate (COPY, bulk) × 5 after a warm-up; the table shows median and min–max.
 * Flags: `--runs N` (default 5; more gives a steadier median on a shared machine), `--races N`
 * (default 5,000; `--races 500 --runs 3` is a quick check).
 * Needs PostgreSQL: F1_BENCH_DATABASE_URL or F1_TEST_DATABASE_URL (an admin URL; a scratch database
 * `f1t_<pid>_*` is created and dropped).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PredictionSetInput } from '@f1/db/predictions/submit';
import { submitPredictionSets } from '@f1/db/predictions/submit';
import { freshDatabase } from '@f1/testkit/postgres';
import { sql } from 'kysely';
import postgres from 'postgres';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a whole number ≥ 1`);
    process.exit(2);
  }
  return value;
};
const RACES = flag('races', 5_000);
const DRIVERS = 20;
const RUNS = flag('runs', 5);

const url = process.env.F1_BENCH_DATABASE_URL ?? process.env.F1_TEST_DATABASE_URL;
if (!url) {
  console.error('set F1_BENCH_DATABASE_URL (or F1_TEST_DATABASE_URL) to a PostgreSQL admin URL');
  process.exit(2);
}
process.env.F1_TEST_DATABASE_URL = url;
const database = await freshDatabase('postgres');
const db = database.db;

/** 5,000 past races (51 seasons × up to 99 rounds) with a 20-driver classification each. */
async function seed() {
  const circuit = await db
    .insertInto('circuits')
    .values({ circuit_ref: 'bench', name: 'Bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const drivers = await db
    .insertInto('drivers')
    .values(
      Array.from({ length: DRIVERS }, (_, i) => ({
        driver_ref: `bench_${i}`,
        given_name: 'B',
        family_name: `D${i}`,
      })),
    )
    .returning(['id', 'driver_ref'])
    .execute();
  const seasons = Array.from({ length: RACES }, (_, i) => 1950 + Math.floor(i / 99));
  const rounds = Array.from({ length: RACES }, (_, i) => (i % 99) + 1);
  const races = await sql<{ id: number; season: number; round: number }>`
    INSERT INTO races (season, round, circuit_id, name, date)
    SELECT s, r, ${circuit.id}, 'Bench GP', make_date(s, 1, 1) + r
    FROM unnest(${seasons}::int[], ${rounds}::int[]) AS u(s, r) RETURNING id, season, round`.execute(
    db,
  );
  await sql`
    INSERT INTO race_results (race_id, driver_id, position, position_order, position_text)
    SELECT r.id, d.id, d.n, d.n, d.n::text
    FROM unnest(${races.rows.map((r) => r.id)}::int[]) AS r(id)
    CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM drivers) d`.execute(db);
  return { races: races.rows, drivers };
}

const { races, drivers } = await seed();
const win = [0.5, 0.3, 0.2];
const sets: PredictionSetInput[] = races.map((race) => ({
  season: race.season,
  round: race.round,
  model: 'bench',
  version: '1',
  backtest: true,
  stage: 'post_qualifying',
  entries: drivers.map((d, i) => ({
    driverId: d.driver_ref,
    predictedPosition: i + 1,
    winProbability: win[i] ?? 0,
    podiumProbability: i < 3 ? 1 : 0,
  })),
}));
const ROWS = RACES * DRIVERS;

async function reset() {
  await sql`TRUNCATE predictions, prediction_accuracy, prediction_sets`.execute(db);
}

/** COPY of the same rows (sets created first, untimed). Returns seconds. */
async function copyRun(client: postgres.Sql): Promise<number> {
  await reset();
  const setRows = await sql<{ id: number; race_id: number }>`
    INSERT INTO prediction_sets (race_id, model, version, backtest, stage, submitted_by, snapshot_hash, entry_count)
    SELECT id, 'bench', '1', true, 'post_qualifying', 'bench', 'x', ${DRIVERS} FROM unnest(${races.map((r) => r.id)}::int[]) AS u(id)
    RETURNING id, race_id`.execute(db);
  const setOf = new Map(setRows.rows.map((s) => [s.race_id, s.id]));
  const lines: string[] = [];
  for (const [i, race] of races.entries()) {
    const set = sets[i];
    for (const [j, e] of (set?.entries ?? []).entries()) {
      lines.push(
        `${race.id}\t${setOf.get(race.id)}\t${drivers[j]?.id}\t${e.predictedPosition}\t${e.winProbability}\t${e.podiumProbability}\t\\N\t\\N\n`,
      );
    }
  }
  const payload = lines.join('');
  const started = performance.now();
  const writable =
    await client`COPY predictions (race_id, set_id, driver_id, predicted_position, win_probability, podium_probability, points_probability, predicted_grid) FROM STDIN`.writable();
  await new Promise<void>((resolve, reject) => {
    writable.on('error', reject);
    writable.on('finish', () => resolve());
    writable.end(payload);
  });
  return (performance.now() - started) / 1000;
}

async function bulkRun(): Promise<number> {
  await reset();
  const started = performance.now();
  const results = await submitPredictionSets(db, sets, { submittedBy: 'bench', path: ['sets'] });
  const seconds = (performance.now() - started) / 1000;
  if (results.length !== RACES || results.some((r) => r.status !== 'created'))
    throw new Error('bulk run did not create every set');
  return seconds;
}

const client = postgres(database.url ?? '', { max: 1, onnotice: () => {} });
const copy: number[] = [];
const bulk: number[] = [];
try {
  await copyRun(client);
  await bulkRun();
  for (let i = 0; i < RUNS; i++) {
    copy.push(await copyRun(client));
    bulk.push(await bulkRun());
  }
  const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM predictions`.execute(db);
  if (count.rows[0]?.n !== ROWS)
    throw new Error(`expected ${ROWS} rows, found ${count.rows[0]?.n}`);
} finally {
  await client.end();
  await database.close();
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const rate = (s: number) => Math.round(ROWS / s);
const ratios = copy.map((c, i) => c / (bulk[i] ?? Number.NaN));
const row = (name: string, xs: number[]) =>
  `${name.padEnd(28)} ${String(rate(median(xs))).padStart(9)} rows/s   (${rate(Math.max(...xs))}–${rate(Math.min(...xs))})`;
console.log(
  `R_bulk: ${ROWS} prediction rows (${RACES} races × ${DRIVERS} drivers), ${RUNS} runs each`,
);
console.log(row('COPY FROM STDIN', copy));
console.log(row('submitPredictionSets (bulk)', bulk));
console.log(
  `R_bulk = ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}; target ≥ 0.5)`,
);

const out = path.join(import.meta.dir, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, 'predictions.json'),
  `${JSON.stringify({ rows: ROWS, runs: RUNS, copySeconds: copy, bulkSeconds: bulk, ratios, medianRatio: median(ratios) }, null, 2)}\n`,
);
