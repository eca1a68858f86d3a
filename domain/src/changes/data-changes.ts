/**
 * The one data-change pipeline (`createDataChanges`): given what a writer changed, it runs every
 * follow-up, derived from the change kinds, in this order:
 *
 *   standings   results | schedule   recompute the changed seasons' standings (rules engine)
 *   ratings     results              replay every rating            → a `ratings` change
 *   accuracy    results              rescore the changed races      → an `accuracy` change
 *   baseline    ratings              the next race's elo-baseline   → a `predictions` change
 *                                    (v2, the default, and v1 beside it: two sets)
 *   invalidate  every change         the tags of all of the above, in every process
 *   publish     predictions|accuracy subscriber events (after the caches are dropped)
 *   pending     results | schedule   clear the "derived data pending" marking it saw
 *
 * A results/schedule writer marks derived data pending in the transaction of its rows; when such a
 * writer reports nothing changed while a marking is set, or the marking counts more generations than
 * the writer committed (`pendingMarks`), another writer — killed, or with a failed step — left it,
 * and its scope is unknown: the pipeline then follows up everything (`derivedScope`) besides the
 * writer's own changes, as a clean full import would. The marking is cleared only when every step
 * succeeded. A failed step is logged and reported, never
 * thrown: the writer's data is committed, and the sweep or the next run retries.
 */
import type {
  ChangedRace,
  ChangeReport,
  DataChange,
  DataChanges,
  StepOutcome,
} from '@f1/core/changes/data-changes';
import { InvalidationBus } from '@f1/core/changes/invalidation';
import type { ProcessPeers } from '@f1/core/changes/peer-messages';
import { type PredictionUpdate, PredictionUpdateBus } from '@f1/core/changes/prediction-updates';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import {
  clearDerivedPending,
  derivedPending,
  derivedScope,
} from '@f1/db/ingestion/derived-pending';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { scoreAccuracy } from '../accuracy/recompute.ts';
import { predictNextRace } from '../baseline/live.ts';
import { replayRatings } from '../ratings/replay.ts';
import { refreshStandings } from '../standings/refresh.ts';
import { tagsOf } from './tags.ts';

export interface DataChangesInit {
  db: Kysely<DB>;
  logger: Logger;
  /** The process's invalidation bus (its caches listen on the same instance). */
  invalidation: InvalidationBus;
  /** The process's prediction-update bus (its hub listens on the same instance). */
  predictionUpdates: PredictionUpdateBus;
}

export function createDataChanges(init: DataChangesInit): DataChanges {
  return { changed: (changes) => followUp(init, changes) };
}

/** A process's buses and the pipeline that publishes on them (what a composition root makes once). */
export interface ProcessChanges {
  invalidation: InvalidationBus;
  predictionUpdates: PredictionUpdateBus;
  changes: DataChanges;
}

/**
 * Makes the process's buses over `redis` (null: in-process only, plus `peers` when given) and its one
 * pipeline.
 */
export function createProcessChanges(init: {
  db: Kysely<DB>;
  logger: Logger;
  redis: Redis | null;
  peers?: ProcessPeers | null;
}): ProcessChanges {
  const invalidation = new InvalidationBus(init.redis, init.peers?.invalidation ?? null);
  const predictionUpdates = new PredictionUpdateBus(
    init.redis,
    init.peers?.predictionUpdates ?? null,
  );
  // `db` is read when a change is followed up, not now (a getter may stand for a database opened later).
  const changes = createDataChanges({
    get db() {
      return init.db;
    },
    logger: init.logger,
    invalidation,
    predictionUpdates,
  });
  return { invalidation, predictionUpdates, changes };
}

const isResultsWriter = (c: DataChange) => c.kind === 'results' || c.kind === 'schedule';

/** Whether the change names nothing (a results writer that changed nothing still reports it). */
function isEmpty(c: DataChange): boolean {
  switch (c.kind) {
    case 'results':
    case 'weather':
    case 'timing':
      return c.races.length === 0;
    case 'schedule':
      return c.seasons.length === 0;
    case 'predictions':
    case 'accuracy':
      return c.sets.length === 0;
    case 'ratings':
      return false;
  }
}

/** How many pending markings the writer of `changes` committed itself. */
const ownMarks = (changes: DataChange[]) =>
  changes.reduce((n, c) => n + (c.kind === 'results' ? (c.pendingMarks ?? 0) : 0), 0);

/** The changed races of `changes`, once each, by season and round. */
function changedRaces(changes: DataChange[]): ChangedRace[] {
  const races = new Map<number, ChangedRace>();
  for (const c of changes)
    if (c.kind === 'results') for (const r of c.races) races.set(r.raceId, r);
  return [...races.values()].sort((a, b) => a.season - b.season || a.round - b.round);
}

/** The seasons a results or schedule change touches: only those seasons' standings are recomputed. */
function changedSeasons(changes: DataChange[]): number[] {
  const seasons = new Set<number>();
  for (const c of changes) {
    if (c.kind === 'results') for (const r of c.races) seasons.add(r.season);
    if (c.kind === 'schedule') for (const season of c.seasons) seasons.add(season);
  }
  return [...seasons].sort((a, b) => a - b);
}

function eventsOf(changes: DataChange[], at: string): PredictionUpdate[] {
  return changes.flatMap((c) =>
    c.kind === 'predictions' || c.kind === 'accuracy'
      ? c.sets.map(({ season, round, model, version, backtest }) => ({
          season,
          round,
          kind: c.kind,
          model,
          version,
          backtest,
          at,
        }))
      : [],
  );
}

async function followUp(init: DataChangesInit, reported: DataChange[]): Promise<ChangeReport> {
  const { db, logger } = init;
  const steps: StepOutcome[] = [];
  /** Runs a follow-up; a failure is logged and reported, a success reported unless `quiet`. */
  const step = async <T>(
    name: StepOutcome['step'],
    run: () => Promise<T>,
    quiet = false,
  ): Promise<T | null> => {
    try {
      const value = await run();
      if (!quiet) steps.push({ step: name, ok: true });
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`data-change follow-up failed: ${name}; derived data or caches may be stale`, {
        error: message,
      });
      steps.push({ step: name, ok: false, error: message });
      return null;
    }
  };

  // Only results/schedule writers set the marking; others (a submission) must not clear it.
  const pending = reported.some(isResultsWriter)
    ? await step('pending', () => derivedPending(db), true)
    : null;
  let scope = reported;
  if (pending !== null && (reported.every(isEmpty) || pending > ownMarks(reported))) {
    const everything = await step('pending', () => derivedScope(db), true);
    if (everything) {
      scope = [
        ...reported,
        { kind: 'results', races: everything.changedRaces },
        { kind: 'schedule', seasons: everything.changedSeasons },
      ];
    }
  }
  const changes = scope.filter((c) => !isEmpty(c));

  const races = changedRaces(changes);
  if (changes.some(isResultsWriter)) {
    await step('standings', () => refreshStandings(db, changedSeasons(changes)));
  }
  if (races.length > 0) {
    const ratings = await step('ratings', () => replayRatings(db));
    if (ratings) changes.push({ kind: 'ratings' });
    const scored = await step('accuracy', () =>
      scoreAccuracy(
        db,
        races.map((r) => r.raceId),
      ),
    );
    if (scored?.races.length) changes.push({ kind: 'accuracy', sets: scored.races });
  }
  if (changes.some((c) => c.kind === 'ratings')) {
    const next = (await step('baseline', () => predictNextRace(db))) ?? [];
    const sets = next
      .filter((s) => s.status !== 'unchanged')
      .map(({ season, round, model, version, backtest }) => ({
        season,
        round,
        model,
        version,
        backtest,
      }));
    if (sets.length > 0) changes.push({ kind: 'predictions', sets });
  }
  const tags = tagsOf(changes);
  if (tags.length > 0) await step('invalidate', () => init.invalidation.invalidate(tags));
  const events = eventsOf(changes, new Date().toISOString());
  if (events.length > 0) await step('publish', () => init.predictionUpdates.publish(events));

  const caughtUp = steps.every((s) => s.ok);
  let recovered = false;
  if (pending !== null && caughtUp) {
    recovered = (await step('pending', () => clearDerivedPending(db, pending))) !== null;
  }
  if (races.length > 0 || recovered) {
    logger.info('derived data updated', { races: races.length, tags: tags.length, recovered });
  }
  return { changes, invalidated: tags, steps, recovered };
}
