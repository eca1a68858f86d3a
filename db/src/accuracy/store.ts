/**
 * Writes a batch of accuracy rows: one DELETE of the races' rows and one INSERT … SELECT FROM unnest.
 *
 * The parameters are encoded here rather than by the driver, so a caller can encode while another
 * statement runs (a bulk submission encodes while its prediction rows insert). Numbers travel as
 * array literals of `String(n)`, the shortest form that reads back as the same double (what
 * postgres.js itself sends); the calibration JSON of every row travels as one newline-joined text
 * (JSON.stringify never emits a raw newline), which PostgreSQL splits far faster than it parses a
 * text[] of quoted, backslash-escaped JSON.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { AccuracyRow, AccuracyRowKey } from './rows.ts';

const numbers = (xs: (number | null)[]) =>
  `{${xs.map((x) => (x === null ? 'NULL' : String(x))).join(',')}}`;
const texts = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
const flags = (xs: boolean[]) => `{${xs.map((x) => (x ? 't' : 'f')).join(',')}}`;

export interface EncodedAccuracyRows {
  readonly count: number;
  readonly columns: readonly string[];
  readonly calibration: string;
}

/** The INSERT's parameters, in the order of the statement below. */
export function encodeAccuracyRows(rows: AccuracyRow[]): EncodedAccuracyRows {
  const col = <T>(f: (r: AccuracyRow) => T) => rows.map(f);
  return {
    count: rows.length,
    columns: [
      numbers(col((r) => r.raceId)),
      numbers(col((r) => r.setId)),
      texts(col((r) => r.model)),
      texts(col((r) => r.version)),
      flags(col((r) => r.backtest)),
      texts(col((r) => r.stage)),
      numbers(col((r) => r.metrics.entries)),
      flags(col((r) => r.metrics.winnerHit)),
      numbers(col((r) => r.metrics.podiumOverlap)),
      numbers(col((r) => r.metrics.top10Overlap)),
      numbers(col((r) => r.metrics.meanAbsPositionError)),
      numbers(col((r) => r.metrics.spearmanRho)),
      numbers(col((r) => r.metrics.brierWin)),
      numbers(col((r) => r.metrics.brierPodium)),
      numbers(col((r) => r.metrics.logLossWin)),
      texts(col((r) => r.resultsHash)),
    ],
    calibration: col((r) => JSON.stringify(r.metrics.calibration)).join('\n'),
  };
}

async function insertRows(trx: Transaction<DB>, encoded: EncodedAccuracyRows) {
  const [
    race,
    set,
    model,
    version,
    backtest,
    stage,
    entries,
    hit,
    podium,
    top10,
    mae,
    rho,
    bw,
    bp,
    ll,
    hash,
  ] = encoded.columns;
  await sql`
    INSERT INTO prediction_accuracy (race_id, set_id, model, version, backtest, stage, entries, winner_hit,
      podium_overlap, top10_overlap, mean_abs_position_error, spearman_rho, brier_win, brier_podium,
      log_loss_win, calibration, results_hash)
    SELECT race_id, set_id, model, version, backtest, stage, entries, winner_hit, podium_overlap,
      top10_overlap, mae, rho, brier_win, brier_podium, log_loss, calibration::jsonb, results_hash
    FROM unnest(${race}::text::int[], ${set}::text::bigint[], ${model}::text::text[], ${version}::text::text[],
      ${backtest}::text::bool[], ${stage}::text::text[], ${entries}::text::int[], ${hit}::text::bool[],
      ${podium}::text::int[], ${top10}::text::int[], ${mae}::text::float8[], ${rho}::text::float8[],
      ${bw}::text::float8[], ${bp}::text::float8[], ${ll}::text::float8[],
      string_to_array(${encoded.calibration}::text, E'\\n'), ${hash}::text::text[])
      AS u(race_id, set_id, model, version, backtest, stage, entries, winner_hit, podium_overlap, top10_overlap,
        mae, rho, brier_win, brier_podium, log_loss, calibration, results_hash)`.execute(trx);
}

/** Replaces the accuracy rows of `raceIds` (all of them: a race without results keeps none). */
export async function storeAccuracyRows(
  trx: Transaction<DB>,
  raceIds: number[],
  rows: AccuracyRow[],
  encoded: EncodedAccuracyRows = encodeAccuracyRows(rows),
): Promise<AccuracyRowKey[]> {
  await sql`DELETE FROM prediction_accuracy WHERE race_id = ANY(${raceIds}::int[])`.execute(trx);
  if (encoded.count) await insertRows(trx, encoded);
  return rows.map(({ raceId, season, round, model, version, backtest, stage }) => ({
    raceId,
    season,
    round,
    model,
    version,
    backtest,
    stage,
  }));
}
