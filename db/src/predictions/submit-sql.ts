/**
 * The SQL steps of a prediction submission (see prediction-submit.ts for the flow). Each step is one
 * statement whatever the number of sets: arrays travel as parameters and are expanded with unnest.
 */
import { sql, type Transaction } from 'kysely';
import type { DB, PredictionSet, PredictionStage, Race } from '../schema.ts';
import type { PredictionSetInput } from './submit.ts';

export type RaceRow = Pick<Race, 'id' | 'season' | 'round' | 'starts_at' | 'date'> & {
  has_results: boolean;
  has_grid: boolean;
};

export type SetRow = Pick<
  PredictionSet,
  | 'id'
  | 'race_id'
  | 'model'
  | 'version'
  | 'backtest'
  | 'stage'
  | 'snapshot_hash'
  | 'entry_count'
  | 'submitted_at'
  | 'idempotency_key'
>;

export interface Prepared {
  index: number;
  input: PredictionSetInput;
  race: RaceRow;
  stage: PredictionStage;
  backtest: boolean;
  hash: string;
}

const SET_COLUMNS = sql.raw(
  'id, race_id, model, version, backtest, stage, snapshot_hash, entry_count, submitted_at, idempotency_key',
);

/** A boolean[] parameter: postgres.js mis-types JS boolean arrays, so they travel as text. */
const boolArray = (values: boolean[]) => sql`${values.map((v) => (v ? 't' : 'f'))}::text[]::bool[]`;

export async function loadRaces(trx: Transaction<DB>, sets: PredictionSetInput[]) {
  const rows = await sql<RaceRow>`
    SELECT r.id, r.season, r.round, r.starts_at, r.date,
      EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id) AS has_results,
      EXISTS (SELECT 1 FROM qualifying_results q WHERE q.race_id = r.id) AS has_grid
    FROM races r
    JOIN (SELECT DISTINCT * FROM unnest(${sets.map((s) => s.season)}::int[], ${sets.map((s) => s.round)}::int[]))
      AS k(season, round) ON k.season = r.season AND k.round = r.round`.execute(trx);
  return new Map(rows.rows.map((r) => [`${r.season}:${r.round}`, r]));
}

interface KeyParts {
  model: string;
  version: string;
  backtest: boolean;
  stage: string;
}

/** The live-set key: one live set per race, model, version, backtest flag and stage. */
export const naturalKey = (raceId: number, k: KeyParts) =>
  `${raceId}\u0000${k.model}\u0000${k.version}\u0000${k.backtest}\u0000${k.stage}`;
export const keyOf = (p: Prepared) =>
  naturalKey(p.race.id, { ...p.input, backtest: p.backtest, stage: p.stage });

export async function existingByKey(
  trx: Transaction<DB>,
  prepared: Prepared[],
  submittedBy: string,
) {
  const keys = prepared.flatMap((p) => (p.input.idempotencyKey ? [p.input.idempotencyKey] : []));
  if (keys.length === 0) return new Map<string, SetRow>();
  const rows = await sql<SetRow>`
    SELECT ${SET_COLUMNS} FROM prediction_sets
    WHERE submitted_by = ${submittedBy} AND idempotency_key = ANY(${keys}::text[])`.execute(trx);
  return new Map(rows.rows.map((r) => [r.idempotency_key ?? '', r]));
}

export async function liveSets(trx: Transaction<DB>, prepared: Prepared[]) {
  const rows = await sql<SetRow>`
    SELECT ${SET_COLUMNS} FROM prediction_sets ps
    WHERE ps.superseded_at IS NULL AND (ps.race_id, ps.model, ps.version, ps.backtest, ps.stage) IN (
      SELECT * FROM unnest(${prepared.map((p) => p.race.id)}::int[], ${prepared.map((p) => p.input.model)}::text[],
        ${prepared.map((p) => p.input.version)}::text[], ${boolArray(prepared.map((p) => p.backtest))},
        ${prepared.map((p) => p.stage)}::text[]))`.execute(trx);
  return new Map(rows.rows.map((r) => [naturalKey(r.race_id, r), r]));
}

export async function insertSets(trx: Transaction<DB>, fresh: Prepared[], submittedBy: string) {
  const col = <T>(f: (p: Prepared) => T) => fresh.map(f);
  const rows = await sql<SetRow>`
    INSERT INTO prediction_sets (race_id, model, version, backtest, stage, submitted_by, idempotency_key, snapshot_hash, entry_count)
    SELECT race_id, model, version, backtest, stage, ${submittedBy}, idempotency_key, snapshot_hash, entry_count
    FROM unnest(${col((p) => p.race.id)}::int[], ${col((p) => p.input.model)}::text[], ${col((p) => p.input.version)}::text[],
      ${boolArray(col((p) => p.backtest))}, ${col((p) => p.stage)}::text[], ${col((p) => p.input.idempotencyKey ?? null)}::text[],
      ${col((p) => p.hash)}::text[], ${col((p) => p.input.entries.length)}::int[])
      AS u(race_id, model, version, backtest, stage, idempotency_key, snapshot_hash, entry_count)
    RETURNING ${SET_COLUMNS}`.execute(trx);
  return new Map(rows.rows.map((r) => [naturalKey(r.race_id, r), r]));
}

/** Internal driver ids of the public ids the sets name (validation checked that they exist). */
export async function resolveDrivers(trx: Transaction<DB>, fresh: Prepared[]) {
  const refs = [...new Set(fresh.flatMap((p) => p.input.entries.map((e) => e.driverId)))];
  const drivers = await sql<{ id: number; driver_ref: string }>`
    SELECT id, driver_ref FROM drivers WHERE driver_ref = ANY(${refs}::text[])`.execute(trx);
  return new Map(drivers.rows.map((d) => [d.driver_ref, d.id]));
}

export async function insertEntries(
  trx: Transaction<DB>,
  fresh: Prepared[],
  setIds: number[],
  driverId: ReadonlyMap<string, number>,
) {
  const cols = {
    race: [] as number[],
    set: [] as number[],
    driver: [] as number[],
    pos: [] as number[],
  };
  const probs = {
    win: [] as number[],
    podium: [] as number[],
    points: [] as (number | null)[],
    grid: [] as (number | null)[],
  };
  fresh.forEach((p, i) => {
    for (const e of p.input.entries) {
      cols.race.push(p.race.id);
      cols.set.push(setIds[i] ?? 0);
      cols.driver.push(driverId.get(e.driverId) ?? 0);
      cols.pos.push(e.predictedPosition);
      probs.win.push(e.winProbability);
      probs.podium.push(e.podiumProbability);
      probs.points.push(e.pointsProbability ?? null);
      probs.grid.push(e.predictedGrid ?? null);
    }
  });
  await sql`
    INSERT INTO predictions (race_id, set_id, driver_id, predicted_position, win_probability, podium_probability, points_probability, predicted_grid)
    SELECT * FROM unnest(${cols.race}::int[], ${cols.set}::bigint[], ${cols.driver}::int[], ${cols.pos}::smallint[],
      ${probs.win}::float8[], ${probs.podium}::float8[], ${probs.points}::float8[], ${probs.grid}::smallint[])`.execute(
    trx,
  );
}
