/**
 * Full ELO recomputation against the database: read every result (one query), replay 1950 → today in
 * memory, replace the history and current ratings in one transaction. Deterministic: the same results
 * always give bit-identical ratings. Lives in db/ so both the ingestion jobs and the server's
 * derived-data sweep can run it; callers invalidate the caches that show ratings.
 */

import { type ResultRowForRating, replaceRatings, resultsForRating } from '@f1/db/ratings/ratings';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { computeEloHistory, type RaceForRating } from './engine.ts';
import type { ResultForRating } from './outcomes.ts';

export interface HistoryResult extends ResultForRating {
  grid: number | null;
}

export interface HistoryRace extends RaceForRating {
  results: HistoryResult[];
}

/** Groups chronological result rows into races (with grid slots, for the backtest). */
export function groupRaces(rows: readonly ResultRowForRating[]): HistoryRace[] {
  const races: HistoryRace[] = [];
  let current: HistoryRace | undefined;
  for (const row of rows) {
    if (current?.raceId !== row.race_id) {
      current = { raceId: row.race_id, season: row.season, round: row.round, results: [] };
      races.push(current);
    }
    current.results.push({
      driverId: row.driver_id,
      teamId: row.team_id,
      position: row.position,
      positionOrder: row.position_order,
      status: row.status,
      grid: row.grid,
    });
  }
  return races;
}

export interface RecomputeSummary {
  races: number;
  driverRows: number;
  teamRows: number;
  millis: number;
}

/** Replays every result and replaces the stored ratings (caches are the caller's). */
export async function replayRatings(db: Kysely<DB>): Promise<RecomputeSummary> {
  const started = performance.now();
  const races = groupRaces(await resultsForRating(db));
  const { drivers, teams } = computeEloHistory(races);
  await replaceRatings(db, { drivers, teams });
  return {
    races: races.length,
    driverRows: drivers.length,
    teamRows: teams.length,
    millis: Math.round(performance.now() - started),
  };
}
