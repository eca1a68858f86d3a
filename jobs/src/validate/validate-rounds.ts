/**
 * `validate`'s every-round comparison: our stored standings after each round of a season against the
 * official tables (the source's standings endpoints, 2 requests a round, or an export's CSV), through the
 * rules engine's comparison (`compareTable`). Differences that are documented source inconsistencies
 * (domain SOURCE_INCONSISTENCIES) are reported but do not fail the validation.
 */
import type { DB } from '@f1/db/schema';
import { storedSeasonTables } from '@f1/db/standings/refresh';
import {
  compareTable,
  isSourceInconsistency,
  type OfficialRow,
  type RoundDifference,
} from '@f1/domain/standings/compare';
import type { Kysely } from 'kysely';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import type { OfficialRound } from './csv-tables.ts';

export interface RoundsValidation {
  season: number;
  /** Official rounds compared. */
  rounds: number;
  /** Official rows compared. */
  checked: number;
  differences: RoundDifference[];
  /** The differences that are not documented source inconsistencies: any fails the validation. */
  unexplained: RoundDifference[];
}

const sourceRow = (
  row: { position?: number; positionText: string; points: number; wins: number },
  id: string,
): OfficialRow => ({
  id,
  points: row.points,
  position: row.position ?? null,
  positionText: row.positionText,
  wins: row.wins,
});

/**
 * Every round's official tables of `season` from the source (none when it has no standings); with
 * `latestOnly`, the latest round's alone (2 requests: the nightly job).
 */
export async function sourceOfficialTables(
  client: JolpicaClient,
  season: number,
  options: { latestOnly?: boolean } = {},
): Promise<OfficialRound[]> {
  const latest = await client.driverStandings(season);
  if (latest.round === null) return [];
  const rounds: OfficialRound[] = [];
  for (let round = options.latestOnly ? latest.round : 1; round <= latest.round; round++) {
    const drivers = round === latest.round ? latest : await client.driverStandings(season, round);
    const constructors = await client.constructorStandings(season, round);
    rounds.push({
      round,
      drivers: drivers.rows.map((r) => sourceRow(r, r.Driver.driverId)),
      constructors: constructors.rows.map((r) => sourceRow(r, r.Constructor.constructorId)),
    });
  }
  return rounds;
}

/** Compares our stored tables after every official round of `season` with `official`. */
export async function validateRounds(
  db: Kysely<DB>,
  season: number,
  official: readonly OfficialRound[],
): Promise<RoundsValidation> {
  const stored = new Map((await storedSeasonTables(db, season)).map((r) => [r.round, r]));
  const differences: RoundDifference[] = [];
  let checked = 0;
  for (const want of official) {
    const ours = stored.get(want.round);
    checked += want.drivers.length + want.constructors.length;
    const where = { season, round: want.round };
    differences.push(
      ...compareTable(ours?.drivers ?? [], want.drivers, { ...where, table: 'drivers' }),
      ...compareTable(ours?.constructors ?? [], want.constructors, {
        ...where,
        table: 'constructors',
      }),
    );
  }
  return {
    season,
    rounds: official.length,
    checked,
    differences,
    unexplained: differences.filter((d) => !isSourceInconsistency(d)),
  };
}

/** `1988 round 16 drivers prost: points 105, official 87` (+ a note for a documented inconsistency). */
export function formatRoundDifference(d: RoundDifference): string {
  const note = isSourceInconsistency(d) ? ' (documented source inconsistency)' : '';
  return `${d.season} round ${d.round} ${d.table} ${d.id}: ${d.what}${note}`;
}
