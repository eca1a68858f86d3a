/**
 * Recomputes the stored championship standings with the rules engine: loads the seasons' race and
 * sprint results, computes every round's drivers' and constructors' tables (rules.ts, engine.ts), and
 * replaces those seasons' rows in one transaction. An ingest refreshes only the seasons it changed; a
 * full recompute (no seasons) rebuilds every season with races and removes the rows of any other.
 *
 * @example
 * await refreshStandings(db, [2024]);   // after an ingest of a 2024 round
 * await refreshStandings(db);           // every season (recovery, a full import)
 */
import type { DB } from '@f1/db/schema';
import {
  lockStandings,
  racedSeasons,
  replaceStandings,
  type StandingInsert,
  type StoredResult,
  seasonResults,
} from '@f1/db/standings/store';
import type { Kysely } from 'kysely';
import { computeSeasonStandings } from './engine.ts';
import { seasonRules } from './rules.ts';
import type { ResultEntry, RoundResults, StandingRow } from './types.ts';

export interface StandingsRefresh {
  /** The seasons recomputed, ascending. */
  seasons: number[];
  driverRows: number;
  constructorRows: number;
}

interface LoadedRound extends RoundResults {
  raceId: number;
  race: ResultEntry[];
  sprint: ResultEntry[];
}

interface SeasonInput {
  rounds: Map<number, LoadedRound>;
}

/** Groups loaded results by season and round, and records each ref's id. */
function group(results: readonly StoredResult[]) {
  const seasons = new Map<number, SeasonInput>();
  const driverIds = new Map<string, number>();
  const teamIds = new Map<string, number>();
  for (const r of results) {
    driverIds.set(r.driver_ref, r.driver_id);
    if (r.team_ref !== null && r.team_id !== null) teamIds.set(r.team_ref, r.team_id);
    let season = seasons.get(r.season);
    if (!season) {
      season = { rounds: new Map() };
      seasons.set(r.season, season);
    }
    let round = season.rounds.get(r.round);
    if (!round) {
      round = { round: r.round, raceId: r.race_id, race: [], sprint: [] };
      season.rounds.set(r.round, round);
    }
    const entry: ResultEntry = {
      driver: r.driver_ref,
      constructor: r.team_ref,
      car: r.number === null ? null : String(r.number),
      points: r.points,
      position: r.position,
      positionOrder: r.position_order,
    };
    (r.sprint ? round.sprint : round.race).push(entry);
  }
  return { seasons, driverIds, teamIds };
}

function toInsert(
  row: StandingRow,
  where: { season: number; round: number; raceId: number },
  ids: ReadonlyMap<string, number>,
): StandingInsert {
  const id = ids.get(row.id);
  if (id === undefined) throw new Error(`standings: no id for ${row.id}`);
  return {
    season: where.season,
    round: where.round,
    race_id: where.raceId,
    competitor_id: id,
    position: row.position,
    position_text: row.positionText,
    points: row.points,
    gross_points: row.grossPoints,
    dropped_points: row.droppedPoints,
    dropped_rounds: row.droppedRounds,
    adjustment_points: row.adjustmentPoints,
    wins: row.wins,
    tied: row.tied,
  };
}

/** Recomputes `seasons` (every season when omitted) and replaces their stored standings. */
export async function refreshStandings(
  db: Kysely<DB>,
  seasons?: readonly number[],
): Promise<StandingsRefresh> {
  return db.transaction().execute(async (trx) => {
    await lockStandings(trx);
    const wanted = seasons ? [...new Set(seasons)].sort((a, b) => a - b) : await racedSeasons(trx);
    const loaded = group(await seasonResults(trx, wanted));
    const drivers: StandingInsert[] = [];
    const constructors: StandingInsert[] = [];
    for (const [season, input] of loaded.seasons) {
      const rounds = [...input.rounds.values()];
      const raceIds = new Map(rounds.map((r) => [r.round, r.raceId]));
      for (const tables of computeSeasonStandings(seasonRules(season), rounds)) {
        const where = { season, round: tables.round, raceId: raceIds.get(tables.round) ?? 0 };
        for (const row of tables.drivers) drivers.push(toInsert(row, where, loaded.driverIds));
        for (const row of tables.constructors ?? []) {
          constructors.push(toInsert(row, where, loaded.teamIds));
        }
      }
    }
    await replaceStandings(trx, seasons ? wanted : null, { drivers, constructors });
    return { seasons: wanted, driverRows: drivers.length, constructorRows: constructors.length };
  });
}

/** Recomputes one season's standings. */
export function refreshSeasonStandings(db: Kysely<DB>, season: number): Promise<StandingsRefresh> {
  return refreshStandings(db, [season]);
}
