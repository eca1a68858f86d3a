/**
 * What every ingestion path does once its writes are committed: refresh the changed seasons' standings,
 * invalidate the caches of what changed through the one entry point (`invalidateChanges`), and run the
 * "results changed" hooks. A run that changed nothing does none of it, unless an earlier run left
 * derived data pending (killed after its commit): then it completes everything.
 */

import { type DataChange, invalidateChanges } from '@f1/core/changes/invalidation';
import {
  clearDerivedPending,
  derivedPending,
  derivedScope,
} from '@f1/db/ingestion/derived-pending';
import { refreshStandings } from '../standings/refresh.ts';
import {
  type ChangedRace,
  type HookContext,
  type HookOutcome,
  runResultsChangedHooks,
} from './hooks.ts';

export interface RunChanges {
  /** Races whose results, sprint results or qualifying changed. */
  changedRaces: ChangedRace[];
  /** Seasons with any change (schedule included). */
  changedSeasons: number[];
}

export interface AfterRunReport {
  refreshed: boolean;
  invalidated: DataChange[];
  /** Set when the cache invalidation failed (Redis configured but unreachable). */
  invalidationError: string | null;
  hooks: HookOutcome[];
}

/** The cache changes for a run: per season, its changed rounds, or the whole season for schedule changes. */
export function dataChanges(changes: RunChanges): DataChange[] {
  const rounds = new Map<number, Set<number>>();
  for (const race of changes.changedRaces) {
    const set = rounds.get(race.season) ?? new Set<number>();
    set.add(race.round);
    rounds.set(race.season, set);
  }
  const seasons = new Set([...changes.changedSeasons, ...rounds.keys()]);
  return [...seasons]
    .sort((a, b) => a - b)
    .map((season) => {
      const changed = rounds.get(season);
      return changed ? { season, rounds: [...changed].sort((a, b) => a - b) } : { season };
    });
}

export async function afterRun(context: HookContext, changes: RunChanges): Promise<AfterRunReport> {
  // A marking this run did not set was left by a run killed before finishing its follow-ups: its
  // changed races are unknown, so this run completes them all (what a clean full import would do).
  const pending = await derivedPending(context.db);
  const scope =
    pending !== null && dataChanges(changes).length === 0
      ? await derivedScope(context.db)
      : changes;
  const invalidated = dataChanges(scope);
  if (invalidated.length === 0) {
    return { refreshed: false, invalidated, invalidationError: null, hooks: [] };
  }
  await refreshStandings(
    context.db,
    invalidated.map((change) => change.season),
  );
  let invalidationError: string | null = null;
  try {
    await invalidateChanges(context.redis, invalidated);
  } catch (error) {
    invalidationError = error instanceof Error ? error.message : String(error);
    context.logger.error('cache invalidation failed; cached answers may be stale', {
      error: invalidationError,
    });
  }
  const hooks = await runResultsChangedHooks(scope.changedRaces, context);
  // Cleared only when everything caught up; otherwise the next run or the server's sweep retries.
  if (pending !== null && invalidationError === null && hooks.every((h) => h.ok)) {
    await clearDerivedPending(context.db, pending);
  }
  return { refreshed: true, invalidated, invalidationError, hooks };
}
