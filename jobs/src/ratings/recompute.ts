/**
 * Full ELO recomputation: read every result (one query), replay 1950 → today in memory, replace the
 * history and current ratings in one transaction, then invalidate the caches that show ratings.
 * Deterministic: the same results always give bit-identical ratings.
 */
import { type ResultRowForRating, replaceRatings, resultsForRating } from '@f1/db/queries/ratings';
import type { DB } from '@f1/db/schema';
import { invalidate } from '@f1/server/cache/invalidation';
import type { Redis } from '@f1/server/redis';
import type { Kysely } from 'kysely';
import type { HistoryRace } from '../baseline/backtest.ts';
import { computeEloHistory } from './engine.ts';

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

export async function recomputeRatings(
  db: Kysely<DB>,
  options: { redis?: Redis | null } = {},
): Promise<RecomputeSummary> {
  const started = performance.now();
  const races = groupRaces(await resultsForRating(db));
  const { drivers, teams } = computeEloHistory(races);
  await replaceRatings(db, { drivers, teams });
  await invalidate(options.redis ?? null, ['ratings', 'drivers', 'teams']);
  return {
    races: races.length,
    driverRows: drivers.length,
    teamRows: teams.length,
    millis: Math.round(performance.now() - started),
  };
}
