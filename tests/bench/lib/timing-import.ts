/**
 * The laps + pit stops case of `bun run bench:ingest`: our bulk write path (the one writer,
 * `writeDataset`, syncing `lap_times` and `pit_stops` in chunks of whole races inside one transaction)
 * vs PostgreSQL `COPY … FROM STDIN` of exactly the same rows into the same (empty) tables.
 *
 * Rows: the export's real `pit_stops.csv` and a synthetic but realistic season of lap timings (the
 * export has no `lap_times.csv`): for every driver of every 2023 race, one timing per lap completed,
 * with the running order as the position. One database holds the reference data (the export imported
 * once); both tables are truncated before every run, runs alternate (ours, COPY, …), medians of 5.
 */
import type { Dataset, LapRecord } from '@f1/jobs/ingestion/dataset';
import { writeDataset } from '@f1/jobs/ingestion/write-dataset';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { type ErgastExport, readErgastExport } from '@f1/jobs/sources/csv-export/read-export';
import { freshDatabase } from '@f1/testkit/postgres';
import { sql as kysql } from 'kysely';
import postgres from 'postgres';

export const TIMING_TABLES = ['lap_times', 'pit_stops'] as const;
const LAP_SEASON = 2023;

/** A small deterministic PRNG (mulberry32), so every run writes the same laps. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One timing per lap each driver completed in every race of `season` (their result's `laps`): lap
 * times around the race's fastest lap (slower first lap, pace by finishing order, noise), positions
 * from the running order of the cumulative times at the end of each lap.
 */
export function syntheticLaps(data: ErgastExport, season: number): LapRecord[] {
  const random = prng(season);
  const byRace = new Map<number, ErgastExport['results']>();
  for (const r of data.results) {
    if (r.season !== season || !r.laps) continue;
    byRace.set(r.round, [...(byRace.get(r.round) ?? []), r]);
  }
  const laps: LapRecord[] = [];
  for (const [round, results] of byRace) {
    const base = Math.min(...results.map((r) => r.fastest_lap_millis ?? 90_000)) * 1.02;
    const drivers = results
      .filter((r) => r.entry === 1)
      .map((r) => ({
        ref: r.driverRef,
        laps: r.laps ?? 0,
        pace: r.position_order * 120,
        total: 0,
      }));
    const most = Math.max(...drivers.map((d) => d.laps));
    for (let lap = 1; lap <= most; lap++) {
      const running = drivers.filter((d) => d.laps >= lap);
      const times = new Map<string, number>();
      for (const d of running) {
        const time = Math.round(base + d.pace + random() * 900 + (lap === 1 ? 6_000 : 0));
        d.total += time;
        times.set(d.ref, time);
      }
      running.sort((a, b) => a.total - b.total);
      running.forEach((d, i) => {
        laps.push({
          season,
          round,
          driverRef: d.ref,
          lap,
          position: i + 1,
          time_millis: times.get(d.ref) ?? null,
        });
      });
    }
  }
  return laps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function copyIn(sql: postgres.TransactionSql, table: string, names: string[], text: string) {
  const writable = await sql
    .unsafe(`COPY ${table} (${names.map((n) => `"${n}"`).join(', ')}) FROM STDIN`)
    .writable();
  await new Promise<void>((resolve, reject) => {
    writable.on('error', reject);
    writable.on('finish', resolve);
    writable.end(text);
  });
}

export interface TimingImportResult {
  lapRows: number;
  pitStopRows: number;
  rows: number;
  copyRows: number;
  oursSeconds: number[];
  copySeconds: number[];
  oursRowsPerSecond: number;
  copyRowsPerSecond: number;
  ratio: number;
  target: number;
}

export async function benchTimingImport(
  csvDir: string,
  repeats = 5,
  options: { log?: (line: string) => void } = {},
): Promise<TimingImportResult> {
  const log = options.log ?? (() => {});
  const data = readErgastExport(csvDir);
  const lapRows = syntheticLaps(data, LAP_SEASON);
  const pitStopRows = data.pitStops ?? [];
  if (pitStopRows.length === 0) throw new Error(`${csvDir} has no pit_stops.csv`);
  const dataset: Dataset = {
    circuits: [],
    teams: [],
    drivers: [],
    races: [],
    laps: lapRows,
    pitStops: pitStopRows,
  };
  const rows = lapRows.length + pitStopRows.length;

  const database = await freshDatabase('postgres');
  const sql = postgres(database.url ?? '', { max: 1, onnotice: () => {} });
  try {
    // The reference data the timings point at: races and drivers of every season.
    await importCsv(database.db, { dirs: [csvDir] });
    const truncate = () => kysql.raw(`TRUNCATE ${TIMING_TABLES.join(', ')}`).execute(database.db);
    const columns = async (client: postgres.Sql, table: string) =>
      (
        await client<{ column_name: string }[]>`
          SELECT column_name FROM information_schema.columns
          WHERE table_name = ${table} AND table_schema = 'public' ORDER BY ordinal_position`
      ).map((c) => c.column_name);

    const oursSeconds: number[] = [];
    const copySeconds: number[] = [];
    const payloads: { table: string; names: string[]; text: string }[] = [];
    for (let i = 0; i < repeats; i++) {
      await truncate();
      let started = performance.now();
      const report = await database.db
        .transaction()
        .execute((trx) => writeDataset(trx, dataset, { kind: 'all' }));
      oursSeconds.push((performance.now() - started) / 1000);
      const created = report.tables.lap_times.created + report.tables.pit_stops.created;
      if (created !== rows) throw new Error(`our write created ${created} of ${rows} rows`);
      if (i === 0) {
        // The COPY payload: exactly the rows our write left, in text format.
        // A client of its own per table: postgres.js hangs a query issued after a COPY TO stream on
        // the same connection.
        for (const table of TIMING_TABLES) {
          const reader = postgres(database.url ?? '', { max: 1, onnotice: () => {} });
          try {
            const names = await columns(reader, table);
            const chunks: string[] = [];
            const out = await reader
              .unsafe(
                `COPY (SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM ${table}) TO STDOUT`,
              )
              .readable();
            for await (const chunk of out) chunks.push(chunk.toString());
            payloads.push({ table, names, text: chunks.join('') });
          } finally {
            await reader.end();
          }
        }
      }
      await truncate();
      started = performance.now();
      await sql.begin(async (tx) => {
        for (const p of payloads) await copyIn(tx, p.table, p.names, p.text);
      });
      copySeconds.push((performance.now() - started) / 1000);
      log(
        `  run ${i + 1}: ours ${oursSeconds[i]?.toFixed(3)} s, COPY ${copySeconds[i]?.toFixed(3)} s`,
      );
    }
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`
      SELECT ((SELECT count(*) FROM lap_times) + (SELECT count(*) FROM pit_stops))::integer AS n`;
    const copyRows = payloads.reduce(
      (sum, p) => sum + p.text.split('\n').filter(Boolean).length,
      0,
    );
    if (copyRows !== rows || n !== rows)
      throw new Error(`COPY wrote ${n} (payload ${copyRows}) of ${rows} rows`);
    const oursRate = rows / median(oursSeconds);
    const copyRate = copyRows / median(copySeconds);
    return {
      lapRows: lapRows.length,
      pitStopRows: pitStopRows.length,
      rows,
      copyRows,
      oursSeconds,
      copySeconds,
      oursRowsPerSecond: Math.round(oursRate),
      copyRowsPerSecond: Math.round(copyRate),
      ratio: oursRate / copyRate,
      target: 0.5,
    };
  } finally {
    await sql.end();
    await database.close();
  }
}
