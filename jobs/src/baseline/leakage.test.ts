/**
 * No leakage, proven on real data: the walk-forward backtest is run, then EVERY result after race r is
 * changed in the database — finishing orders, classified positions, statuses, points, laps, times and
 * grid slots of race and sprint results rotated among each race's drivers, qualifying positions and
 * Q1–Q3 times likewise — and the backtest is run again from the database. The predictions of every
 * model (whatever the prediction maps hold, so a new model is covered once the backtest predicts it)
 * for races ≤ r must serialise to byte-identical JSON, and some prediction after r must differ (so the
 * test can fail). Race r + 1 itself keeps what is known before it (grid, qualifying, sprint) and loses
 * only its race result, so its prediction must not move either: that catches a model reading the
 * result of the race it predicts. Seasons 2012–2016 of the shared export; without it, the project's
 * mini export.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { DB } from '@f1/db/schema';
import { loadHistory, loadQualifying } from '@f1/domain/baseline/history';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { type Kysely, sql } from 'kysely';
import { importCsv } from '../sources/csv-export/import.ts';
import { replay } from './backtest.ts';

const SEASONS = [2012, 2013, 2014, 2015, 2016];
const shared = findSharedDataDir() !== null;
if (!shared) {
  console.info(
    'leakage test: shared data not found, running on the mini export (its 1955 race and two 2021 rounds)',
  );
}

/** Outcome columns per results table, rotated among the drivers of each race after the cut. */
const SCRAMBLED: { table: string; keys: string[]; columns: string[] }[] = [
  {
    table: 'race_results',
    keys: ['race_id', 'driver_id', 'entry'],
    columns: [
      'grid',
      'position',
      'position_order',
      'position_text',
      'points',
      'laps',
      'time_millis',
      'time_text',
      'fastest_lap',
      'fastest_lap_rank',
      'fastest_lap_millis',
      'fastest_lap_speed_kph',
      'status',
    ],
  },
  {
    table: 'sprint_results',
    keys: ['race_id', 'driver_id'],
    columns: [
      'grid',
      'position',
      'position_order',
      'position_text',
      'points',
      'laps',
      'time_millis',
      'time_text',
      'fastest_lap',
      'fastest_lap_millis',
      'status',
    ],
  },
  {
    table: 'qualifying_results',
    keys: ['race_id', 'driver_id'],
    columns: ['position', 'q1_millis', 'q2_millis', 'q3_millis'],
  },
];

/** What a model may know before a race: its grid slots, qualifying and sprint. */
const PRE_RACE = SCRAMBLED.filter((t) => t.table === 'race_results').map((t) => ({
  ...t,
  columns: t.columns.filter((c) => c !== 'grid'),
}));

/**
 * Every row of every race matching `where` (on `r`, the races row) takes the outcome of the next row
 * in a fixed pseudo-random order of the race's drivers: one cycle through the field, so no row keeps
 * its own.
 */
async function scramble(db: Kysely<DB>, where: string, tables = SCRAMBLED): Promise<number> {
  let changed = 0;
  for (const { table, keys, columns } of tables) {
    const order = keys.map((k) => `x.${k}::text`).join(` || '-' || `);
    const result = await sql
      .raw(`
      WITH ranked AS (
        SELECT x.*, row_number() OVER (PARTITION BY x.race_id ORDER BY md5(${order})) AS k,
               count(*) OVER (PARTITION BY x.race_id) AS n
        FROM ${table} x JOIN races r ON r.id = x.race_id
        WHERE ${where}
      )
      UPDATE ${table} t SET ${columns.map((c) => `${c} = s.${c}`).join(', ')}
      FROM ranked d JOIN ranked s ON s.race_id = d.race_id AND s.k = d.k % d.n + 1
      WHERE ${keys.map((k) => `t.${k} = d.${k}`).join(' AND ')}`)
      .execute(db);
    changed += Number(result.numAffectedRows ?? 0);
  }
  return changed;
}

/** Each scored race's predictions (every model) as JSON, in race order. */
async function walkForward(db: Kysely<DB>, from: number, to: number) {
  const scored = replay(await loadHistory(db), {
    from,
    to,
    v2: { qualifying: await loadQualifying(db) },
  });
  return scored.map((r) => ({
    season: r.view.season,
    round: r.view.round,
    models: Object.keys(r.predictions),
    json: JSON.stringify({ view: r.view, predictions: r.predictions }),
    predictions: JSON.stringify(r.predictions),
  }));
}

let database: TestDatabase;
const from = shared ? 2013 : 1955;
const to = shared ? 2016 : 2021;

beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  if (shared) await loadCsvSeasons(database.db, { seasons: SEASONS });
  else await importCsv(database.db, { dirs: [MINI_EXPORT_DIR] });
}, 120_000);
afterAll(() => database?.close());

test('changing every result after race r leaves every prediction up to r byte-identical', async () => {
  const before = await walkForward(database.db, from, to);
  expect(before.length).toBeGreaterThanOrEqual(3);
  const cutAt = Math.floor((before.length - 2) / 2);
  const cut = before[cutAt];
  if (!cut) throw new Error('no race to cut at');
  expect(cut.models.length).toBeGreaterThanOrEqual(3);

  const next = before[cutAt + 1];
  if (!next) throw new Error('no race after the cut');
  const db = database.db;
  const at = (s: number, r: number) => `(r.season, r.round) = (${s}, ${r})`;
  expect(await scramble(db, at(next.season, next.round), PRE_RACE)).toBeGreaterThan(0);
  expect(
    await scramble(db, `(r.season, r.round) > (${next.season}, ${next.round})`),
  ).toBeGreaterThan(0);
  const after = await walkForward(db, from, to);

  expect(after.map((r) => [r.season, r.round])).toEqual(before.map((r) => [r.season, r.round]));
  // Byte-identical up to r, and r + 1 (only its result changed): entrants, grid, every model's numbers.
  const known = cutAt + 2;
  expect(after.slice(0, known).map((r) => r.json)).toEqual(
    before.slice(0, known).map((r) => r.json),
  );
  // Later, the changed results do reach the predictions, for every model.
  const later = after.slice(known);
  for (const model of cut.models) {
    const moved = later.some((r, i) => {
      const was = JSON.parse(before[known + i]?.predictions ?? '{}')[model];
      return JSON.stringify(JSON.parse(r.predictions)[model]) !== JSON.stringify(was);
    });
    expect({ model, moved }).toEqual({ model, moved: true });
  }
}, 120_000);
