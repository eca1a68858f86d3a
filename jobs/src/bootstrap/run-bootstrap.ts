/**
 * `bun run ingest bootstrap`: the whole history from the API, season by season (each season through
 * the same `ingestSeason` as `ingest season`: a round per transaction), resumable and within the
 * source's hourly budget.
 *
 * - Resumable: a season read whole and written without a failed round is recorded in
 *   `bootstrap_seasons`; a rerun skips those. The unit is the season because the source is read by
 *   season-wide endpoints: re-reading an unfinished season costs what its remaining rounds would.
 *   The current season is never recorded as done (it is still being raced): every run tops it up.
 * - Within the budget: the client's pacer (`WaitingPacer`) waits for the rolling hour instead of
 *   failing, and starts with the requests earlier runs made within the hour.
 * - Progress: the plan (seasons, estimated requests, ETA from the budget) first, then one line per
 *   season with its real cost and the ETA of what is left, rescaled by what the seasons so far cost.
 * - Stops between seasons, or between rounds inside one, on the abort signal (SIGINT/SIGTERM).
 */
import {
  bootstrapRequestsLastHour,
  completedBootstrapSeasons,
  recordBootstrapAttempt,
} from '@f1/db/ingestion/bootstrap';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { Progress } from '../cli/progress.ts';
import { type IngestionReport, mergeReports } from '../ingestion/report.ts';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import { ingestSeason } from '../sources/jolpica/ingest.ts';
import { type Budget, estimateSeasonRequests, etaMs, formatDuration } from './estimate.ts';
import { BootstrapStoppedError } from './waiting-pacer.ts';

export interface SeasonRange {
  from: number;
  to: number;
}

export interface BootstrapDeps {
  db: Kysely<DB>;
  client: JolpicaClient;
  progress: Progress;
  signal?: AbortSignal;
  /** Limits, and the requests the pacer counts in the rolling hour now (for the ETA). */
  budget: { perSecond: number; perHour: number; usedThisHour: () => number };
  /** The season still being raced (default: this UTC year): never recorded as done. */
  currentSeason?: number;
}

export interface BootstrapResult {
  report: IngestionReport;
  /** Seasons this run loaded whole. */
  loaded: number[];
  /** Seasons skipped because an earlier run loaded them. */
  alreadyLoaded: number[];
  /** Stopped by the signal before the range was done. */
  stopped: boolean;
  failures: string[];
}

/** Request times (ms) of earlier bootstrap runs within the hour, for the pacer's seed. */
export async function bootstrapSeed(db: Kysely<DB>): Promise<number[]> {
  const attempts = await bootstrapRequestsLastHour(db);
  return attempts.flatMap((a) => Array.from({ length: a.requests }, () => a.at.getTime()));
}

/** Forwards the lines that must be seen, not the inner run's per-round bar (the season bar is ours). */
const linesOnly = (progress: Progress): Progress => ({
  start: () => {},
  tick: () => {},
  log: (line) => progress.log(line),
  done: () => {},
});

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runBootstrap(
  deps: BootstrapDeps,
  range: SeasonRange,
): Promise<BootstrapResult> {
  const { db, client, progress, signal } = deps;
  const current = deps.currentSeason ?? new Date().getUTCFullYear();
  const done = new Set(await completedBootstrapSeasons(db, range));
  const seasons = Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
  const todo = seasons.filter((s) => !done.has(s));
  const estimates = new Map(todo.map((s) => [s, estimateSeasonRequests(s)]));
  const budget = (): Budget => ({
    perSecond: deps.budget.perSecond,
    perHour: deps.budget.perHour,
    usedThisHour: deps.budget.usedThisHour(),
  });
  const sum = (list: number[]) => list.reduce((t, s) => t + (estimates.get(s) ?? 0), 0);
  const plan = sum(todo);
  const { perSecond, perHour, usedThisHour } = budget();
  progress.log(
    `bootstrap ${range.from}–${range.to}: ${todo.length} season(s) to load, ${done.size} loaded by an earlier run; ` +
      `~${plan} requests, ETA ${formatDuration(etaMs(plan, budget()))} ` +
      `(${perSecond}/s within ${perHour}/hour, ${usedThisHour} used in the last hour)`,
  );

  const reports: IngestionReport[] = [];
  const loaded: number[] = [];
  const failures: string[] = [];
  let stopped = false;
  let spent = 0;
  let estimatedSpent = 0;
  progress.start('bootstrap', todo.length);
  for (const [index, season] of todo.entries()) {
    if (signal?.aborted) {
      stopped = true;
      break;
    }
    const before = client.stats.requests;
    let report: IngestionReport | undefined;
    let error: unknown;
    try {
      report = await ingestSeason({ db, client, signal, progress: linesOnly(progress) }, season);
    } catch (caught) {
      error = caught;
    }
    const requests = client.stats.requests - before;
    const whole =
      report !== undefined &&
      !report.aborted &&
      report.failures.length === 0 &&
      report.roundsWritten.length > 0;
    await recordBootstrapAttempt(db, { season, requests, completed: whole && season < current });
    if (report) reports.push(report);
    if (error !== undefined || report === undefined) {
      // Stopped while waiting for the budget, or the source failed past its retries: stop here (the
      // next seasons would fail the same way); a rerun resumes with this season.
      if (signal?.aborted || error instanceof BootstrapStoppedError) stopped = true;
      else failures.push(`${season}: ${message(error)}`);
      break;
    }
    if (report.aborted) {
      stopped = true;
      break;
    }
    for (const f of report.failures) failures.push(`${season} round ${f.round}: ${f.message}`);
    if (whole) loaded.push(season);
    spent += requests;
    estimatedSpent += estimates.get(season) ?? 0;
    const rest = todo.slice(index + 1);
    const left = Math.round(sum(rest) * (estimatedSpent > 0 ? spent / estimatedSpent : 1));
    const note = report.roundsWritten.length
      ? `${report.roundsWritten.length} round(s), ${report.rows} rows`
      : 'no races at the source';
    progress.tick(
      `${season}: ${requests} requests, ${note}; ${rest.length ? `~${left} requests left, ETA ${formatDuration(etaMs(left, budget()))}` : 'done'}`,
    );
  }
  if (stopped) {
    const next = todo.find((s) => !loaded.includes(s) && s >= (loaded.at(-1) ?? 0));
    progress.log(
      `stopped (${String(signal?.reason ?? 'aborted')})${next === undefined ? '' : ` before ${next} was complete`}`,
    );
  }
  progress.done();
  return {
    report: mergeReports(null, reports),
    loaded,
    alreadyLoaded: seasons.filter((s) => done.has(s)),
    stopped,
    failures,
  };
}
