#!/usr/bin/env bun
/**
 * `bun run bench baseline` — how long fitting takes, on the whole Ergast export (shared data) in a
 * scratch PostgreSQL database:
 *
 * - walk-forward: the full backtest 2015–2024 (`loadHistory` + `replay` from 1950, every model of the
 *   run predicted and scored), in memory, as `bun run backtest 2015 2024 --no-store` does it;
 * - after a round (the live path): the last round's results are removed so it is the next race (with
 *   its qualifying, so post-qualifying), then what the data-change pipeline runs after a results change
 *   for the baseline — the ratings replay (`replayRatings`) and the next race's prediction
 *   (`predictNextRace`, domain/src/baseline/live.ts) — timed separately and together.
 *
 * Wall milliseconds, median and min–max of `--runs N` (default 5) after a warm-up. Not a test: it asserts
 * no time. Needs F1_BENCH_DATABASE_URL or F1_TEST_DATABASE_URL (an admin URL; a scratch database is
 * created and dropped) and the shared data (F1_TEST_DATA_DIR or ../shared/data).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadHistory } from '@f1/domain/baseline/history';
import { predictNextRace } from '@f1/domain/baseline/live';
import { replayRatings } from '@f1/domain/ratings/replay';
import { replay } from '@f1/jobs/baseline/backtest';
import { freshDatabase } from '@f1/testkit/postgres';
import { loadCsvSeasons } from '@f1/testkit/shared-data';
import { sql } from 'kysely';

const at = process.argv.indexOf('--runs');
const RUNS = at >= 0 ? Number(process.argv[at + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('--runs takes a whole number ≥ 1');
  process.exit(2);
}
const url = process.env.F1_BENCH_DATABASE_URL ?? process.env.F1_TEST_DATABASE_URL;
if (!url) {
  console.error('set F1_BENCH_DATABASE_URL (or F1_TEST_DATABASE_URL) to a PostgreSQL admin URL');
  process.exit(2);
}
process.env.F1_TEST_DATABASE_URL = url;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const timed = async <T>(fn: () => Promise<T> | T): Promise<[number, T]> => {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
};

const database = await freshDatabase('postgres');
const db = database.db;
const rows: { case: string; median: number; min: number; max: number; note: string }[] = [];
try {
  const [importMs] = await timed(() => loadCsvSeasons(db));
  console.log(`imported the export in ${Math.round(importMs)} ms`);

  const walk: number[] = [];
  let scored = 0;
  let models: string[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const [ms, result] = await timed(async () =>
      replay(await loadHistory(db), { from: 2015, to: 2024 }),
    );
    if (i > 0) walk.push(ms);
    scored = result.length;
    models = Object.keys(result[0]?.predictions ?? {});
  }

  // The last round with results becomes the next race (its qualifying stays: post-qualifying).
  const last = await sql<{ id: number; season: number; round: number; date: string }>`
    SELECT r.id, r.season, r.round, r.date::text AS date FROM races r
    WHERE EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id)
    ORDER BY r.season DESC, r.round DESC LIMIT 1`.execute(db);
  const race = last.rows[0];
  if (!race) throw new Error('no race with results');
  await sql`DELETE FROM race_results WHERE race_id = ${race.id}`.execute(db);
  const now = new Date(new Date(`${race.date}T00:00:00Z`).getTime() - 86_400_000);

  const ratings: number[] = [];
  const predict: number[] = [];
  const both: number[] = [];
  let stage = '';
  for (let i = 0; i <= RUNS; i++) {
    const [r] = await timed(() => replayRatings(db));
    const [p, sets] = await timed(() => predictNextRace(db, { now }));
    const set = sets[0];
    if (sets.length !== 2 || !set || set.season !== race.season || set.round !== race.round) {
      throw new Error(
        `predicted ${set?.season} R${set?.round}, expected ${race.season} R${race.round}`,
      );
    }
    stage = set.stage;
    if (i > 0) {
      ratings.push(r);
      predict.push(p);
      both.push(r + p);
    }
  }
  const row = (name: string, xs: number[], note: string) =>
    rows.push({ case: name, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), note });
  row('walk-forward 2015–2024', walk, `${scored} races scored, models ${models.join(', ')}`);
  row('after a round: ratings replay', ratings, 'replayRatings, 1950 → the round');
  row(
    'after a round: next-race prediction',
    predict,
    `predictNextRace ${race.season} R${race.round}, ${stage}, v2 (one refit) + v1`,
  );
  row('after a round: both', both, 'what the pipeline adds for the baseline');
} finally {
  await database.close();
}

const f = (x: number) => Math.round(x).toString();
const head = ['case', 'median ms', 'min–max ms', 'what'];
const lines = rows.map((r) => [r.case, f(r.median), `${f(r.min)}–${f(r.max)}`, r.note]);
const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
for (const l of [head, ...lines]) console.log(l.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
const dir = path.join(import.meta.dir, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  path.join(dir, 'baseline.json'),
  `${JSON.stringify({ runs: RUNS, at: new Date().toISOString(), rows }, null, 2)}\n`,
);
