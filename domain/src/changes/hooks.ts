/**
 * "Results changed" hooks: follow-up computations that must run whenever ingestion changes results.
 *
 * Register once at start-up (e.g. in the module that owns the computation), and every ingestion path
 * (CLI, scheduler, CSV import) runs the handlers after it has committed its writes and refreshed the
 * standings, passing the races whose race results, sprint results or qualifying changed:
 *
 * @example
 * import { onResultsChanged } from './hooks.ts';
 * onResultsChanged(async (races, { db, logger }) => {
 *   await recomputeRatingsFrom(db, races[0]);       // races are sorted by season, round
 *   logger.info('ratings recomputed', { races: races.length });
 * }, { name: 'elo' });
 *
 * Handlers run one after another in registration order; a failing handler is logged and does not stop
 * the others (the data is already committed; the handler can be rerun). Registering under a `name`
 * that is already taken replaces the earlier handler, so re-imports and tests do not stack duplicates.
 */

import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export interface ChangedRace {
  raceId: number;
  season: number;
  round: number;
}

export interface HookContext {
  db: Kysely<DB>;
  redis: Redis | null;
  logger: Logger;
}

export type ResultsChangedHandler = (races: ChangedRace[], context: HookContext) => Promise<void>;

const handlers = new Map<string, ResultsChangedHandler>();
let anonymous = 0;

/** Registers a handler (replacing one registered under the same name); returns an unregister function. */
export function onResultsChanged(
  handler: ResultsChangedHandler,
  options: { name?: string } = {},
): () => void {
  const name = options.name ?? `${handler.name || 'handler'}#${++anonymous}`;
  handlers.set(name, handler);
  return () => {
    if (handlers.get(name) === handler) handlers.delete(name);
  };
}

export interface HookOutcome {
  name: string;
  ok: boolean;
  error?: string;
}

/** Runs every handler for these races (nothing when no race changed). */
export async function runResultsChangedHooks(
  races: ChangedRace[],
  context: HookContext,
): Promise<HookOutcome[]> {
  if (races.length === 0) return [];
  const sorted = [...races].sort((a, b) => a.season - b.season || a.round - b.round);
  const outcomes: HookOutcome[] = [];
  for (const [name, handler] of handlers) {
    try {
      await handler(sorted, context);
      outcomes.push({ name, ok: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.logger.error('results-changed hook failed', { hook: name, error: message });
      outcomes.push({ name, ok: false, error: message });
    }
  }
  return outcomes;
}
