/**
 * The data-change contract: what a writer says it changed, and the one service it says it to.
 *
 * Writers (ingestion, CSV import, weather, ratings, prediction submission, backtests, accuracy
 * scoring, the derived-data sweep) commit their rows and then call `changes.changed([...])` with what
 * they changed — nothing else. The implementation (`createDataChanges`, in the domain package) derives
 * every follow-up from the change kinds: standings, ratings, accuracy, the next race's baseline
 * prediction, cache invalidation in every process and subscriber events. A writer cannot forget a
 * step because there is no step to remember.
 */
import type { CacheTag } from './invalidation.ts';
import type { PredictionUpdate } from './prediction-updates.ts';

/** A race, by id and by season/round (the id for the database, the pair for tags and events). */
export interface ChangedRace {
  raceId: number;
  season: number;
  round: number;
}

/** A race by season and round. */
export interface RaceKey {
  season: number;
  round: number;
}

/** Whose predictions (or accuracy) changed: `model` null means the whole race. */
export type PredictionKey = Pick<
  PredictionUpdate,
  'season' | 'round' | 'model' | 'version' | 'backtest'
>;

export type DataChange =
  /**
   * Race results, sprint results or qualifying of these races changed. Reported by every results
   * writer, with an empty list when it changed nothing (it then completes what a killed run left
   * pending). Follow-ups: standings, ratings, accuracy of the races, the next race's baseline.
   * `pendingMarks`: how many "derived data pending" markings the writer committed (0 when unset); a
   * marking that counts more holds another writer's too, whose scope is unknown.
   */
  | { kind: 'results'; races: ChangedRace[]; pendingMarks?: number }
  /**
   * Anything else in these seasons may have changed (calendar, entrants, the drivers, teams and
   * circuits they reference). Follow-ups: standings; every cache of the season.
   */
  | { kind: 'schedule'; seasons: number[] }
  /** Race-day weather of these races changed. Follow-ups: the races' caches. */
  | { kind: 'weather'; races: RaceKey[] }
  /**
   * Lap timings or pit stops of these races changed. They feed no standings, ratings or accuracy.
   * Follow-ups: the races' caches.
   */
  | { kind: 'timing'; races: RaceKey[] }
  /** Prediction sets were stored. Follow-ups: the races' prediction caches; subscriber events. */
  | { kind: 'predictions'; sets: PredictionKey[] }
  /** Accuracy rows were (re)computed. Follow-ups: the races' prediction caches; subscriber events. */
  | { kind: 'accuracy'; sets: PredictionKey[] }
  /** Every rating was replayed. Follow-ups: rating caches; the next race's baseline prediction. */
  | { kind: 'ratings' };

export type DataChangeKind = DataChange['kind'];

/** One follow-up the pipeline ran. */
export interface StepOutcome {
  step: 'standings' | 'ratings' | 'accuracy' | 'baseline' | 'invalidate' | 'publish' | 'pending';
  ok: boolean;
  /** Set when the step failed (it was logged; the writer's data stays committed). */
  error?: string;
}

export interface ChangeReport {
  /** What was followed up: the writer's changes, then what the follow-ups changed in turn. */
  changes: DataChange[];
  /** Cache tags invalidated in every process. */
  invalidated: CacheTag[];
  steps: StepOutcome[];
  /** Whether a "derived data pending" marking (a killed writer's) was found and cleared. */
  recovered: boolean;
}

export interface DataChanges {
  /**
   * Runs every follow-up of `changes`, in order. Never throws for a failed follow-up: it is logged and
   * reported in `steps` (the writer's data is committed; the sweep or the next run retries).
   */
  changed(changes: DataChange[]): Promise<ChangeReport>;
}

/** The error of the step's failure (or of the first failed step), for summaries; null when it ran fine. */
export function failureOf(report: ChangeReport, step?: StepOutcome['step']): string | null {
  const failed = report.steps.find((s) => !s.ok && (step === undefined || s.step === step));
  return failed ? (failed.error ?? 'failed') : null;
}

/**
 * What an ingestion run reports (`RunChanges`: the races whose results changed and every season with
 * a change) as data changes: seasons with changed races are covered by their rounds; the others
 * changed season-wide. Both entries are always there, empty when the run changed nothing.
 */
export function ingestionChanges(run: {
  changedRaces: ChangedRace[];
  changedSeasons: number[];
  pendingMarks?: number;
  /** Races whose lap timings or pit stops changed; a `timing` entry only when there are some. */
  timingRaces?: RaceKey[];
}): DataChange[] {
  const withRaces = new Set(run.changedRaces.map((r) => r.season));
  const timing: DataChange[] = run.timingRaces?.length
    ? [{ kind: 'timing', races: run.timingRaces }]
    : [];
  return [
    {
      kind: 'results',
      races: run.changedRaces,
      ...(run.pendingMarks ? { pendingMarks: run.pendingMarks } : {}),
    },
    {
      kind: 'schedule',
      seasons: [...new Set(run.changedSeasons)].filter((s) => !withRaces.has(s)),
    },
    ...timing,
  ];
}
