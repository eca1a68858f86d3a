/**
 * The scheduler's jobs. Each runs under the scheduler's lock with its fence, records itself in
 * `ingestion_runs` (requested by "scheduler"), and reports what it changed to the data-change pipeline.
 *
 *   latest-round   the current season's recent rounds: race, sprint and qualifying results, and the
 *                  laps and pit stops of a raced round that has no lap timings stored yet (below)
 *   race-weekend   the same, on the tighter schedule, but only while a race weekend is on
 *   schedule       the current season's calendar and page (2 requests)
 *   validate       our standings vs the source's official ones
 *   queue          the oldest queued `ingestion_runs` row (from the admin API), run now
 */

import { failureOf, ingestionChanges } from '@f1/core/changes/data-changes';
import { type CalendarRound, seasonCalendar } from '@f1/db/ingestion/calendar';
import type { Fence } from '@f1/db/ingestion/fences';
import {
  claimNextIngestionRun,
  finishIngestionRun,
  type IngestionRunView,
  requeueStaleIngestionRuns,
  startIngestionRun,
} from '@f1/db/ingestion/runs';
import { raceLapTotal } from '@f1/db/races/laps';
import type { DB, IngestionRunKind } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { JobContext } from '../context.ts';
import { type IngestionReport, mergeReports } from '../ingestion/report.ts';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import {
  ingestSeason,
  QualifyingIngestionService,
  RaceIngestionService,
} from '../sources/jolpica/ingest.ts';
import {
  formatRoundDifference,
  sourceOfficialTables,
  validateRounds,
} from '../validate/validate-rounds.ts';
import type { WeatherProvider } from '../weather/providers.ts';
import { ingestWeather } from '../weather/weather-ingestion.ts';
import { raceWeekendOn, roundsToIngest } from './calendar.ts';

export const JOB_NAMES = ['latest-round', 'race-weekend', 'schedule', 'validate', 'queue'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobRun {
  context: JobContext;
  client: JolpicaClient;
  /** Null when no weather provider is configured (the scheduler logged that once at start). */
  weather: WeatherProvider | null;
  now: Date;
  signal: AbortSignal;
  fence: Fence;
}

export interface JobOutcome {
  /** What happened, one line for the log. */
  note: string;
  ok: boolean;
}

type Target = { kind: IngestionRunKind; season: number | null; round: number | null };

/** Runs one ingestion target and returns its report plus the run's outcome. */
async function execute(
  run: JobRun,
  target: Target,
): Promise<{ report: IngestionReport | null; ok: boolean; note: string }> {
  const deps = { db: run.context.db, client: run.client, signal: run.signal, fence: run.fence };
  const season = target.season ?? run.now.getUTCFullYear();
  const round = target.round ?? undefined;
  switch (target.kind) {
    case 'season':
      return withReport(await ingestSeason(deps, season));
    case 'schedule':
      return withReport(await ingestSeason(deps, season, { datasets: [] }));
    case 'race':
      return withReport(await new RaceIngestionService(deps).run({ season, round }));
    case 'qualifying':
      return withReport(await new QualifyingIngestionService(deps).run({ season, round }));
    case 'validate': {
      const official = await sourceOfficialTables(run.client, season, { latestOnly: true });
      const round = official[0]?.round;
      if (round === undefined)
        return { report: null, ok: true, note: `validate ${season}: no official standings yet` };
      const result = await validateRounds(run.context.db, season, official);
      for (const d of result.differences) run.context.logger.warn(formatRoundDifference(d));
      return {
        report: null,
        ok: result.unexplained.length === 0,
        note: `validate ${season} after round ${round}: ${result.unexplained.length} difference(s)`,
      };
    }
    case 'weather': {
      const weather = await ingestWeather(
        {
          db: run.context.db,
          provider: run.weather,
          logger: run.context.logger,
          changes: run.context.changes,
          now: run.now,
          fence: run.fence,
        },
        { season, round },
      );
      const failures = weather.failures.map((f) => `; round ${f.round}: ${f.message}`).join('');
      const note = weather.skipped
        ? 'weather skipped: no provider configured'
        : `weather ${season}: ${weather.counts.created} created, ${weather.counts.updated} updated${failures}`;
      return { report: null, ok: weather.failures.length === 0, note };
    }
    default:
      return {
        report: null,
        ok: false,
        note: `a "${target.kind}" run cannot be run by the scheduler; use the CLI`,
      };
  }
}

function withReport(report: IngestionReport) {
  const failed = report.failures.map((f) => `round ${f.round}: ${f.message}`);
  return {
    report,
    ok: failed.length === 0 && !report.aborted,
    note: `${report.season}: rounds ${report.roundsWritten.join(',') || 'none'} written, ${report.totals.created} created, ${report.totals.updated} updated, ${report.totals.deleted} deleted${failed.length ? `; ${failed.join('; ')}` : ''}${report.aborted ? '; stopped early' : ''}`,
  };
}

/** Records a run (claimed, or started now), executes it, reports its changes to the pipeline. */
async function recorded(
  run: JobRun,
  claimed: IngestionRunView | null,
  target: Target,
  work: () => ReturnType<typeof execute>,
): Promise<JobOutcome> {
  const { db } = run.context;
  const record =
    claimed ??
    (await startIngestionRun(db, {
      kind: target.kind,
      season: target.season,
      round: target.round,
      requestedBy: 'scheduler',
    }));
  const requestsBefore = run.client.stats.requests;
  try {
    const result = await work();
    const after = result.report
      ? await run.context.changes.changed(ingestionChanges(result.report))
      : null;
    const invalidationError = after ? failureOf(after, 'invalidate') : null;
    const ok = result.ok && !invalidationError;
    await finishIngestionRun(db, {
      id: record.id,
      status: ok ? 'succeeded' : 'failed',
      stats: {
        ...(result.report?.totals ?? {}),
        requests: run.client.stats.requests - requestsBefore,
        fence: run.fence.token,
      },
      error: ok ? null : [result.note, invalidationError].filter(Boolean).join('; '),
    });
    return { ok, note: result.note };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishIngestionRun(db, { id: record.id, status: 'failed', error: message }).catch(
      () => {},
    );
    return { ok: false, note: message };
  }
}

/**
 * Whether the job reads a round's laps and pit stops (ceil(timings/100) + 1 requests, ~13 for a
 * modern race): once the race day has come and while none of its lap timings are stored. The source
 * publishes them hours after the race and does not revise them; the job re-ingests the week's rounds
 * every run (every 15 minutes on a weekend), so re-reading stored laps would spend ~50 requests an
 * hour of the 500 for nothing. Before publication each run costs 2 requests (two empty answers).
 */
async function wantsTiming(db: Kysely<DB>, season: number, round: CalendarRound, now: Date) {
  if (round.date > now.toISOString().slice(0, 10)) return false;
  const stored = await raceLapTotal(db, { season, round: round.round }, {});
  return (stored?.total ?? 0) === 0;
}

async function latestRound(run: JobRun, onlyOnRaceWeekend: boolean): Promise<JobOutcome> {
  const season = run.now.getUTCFullYear();
  let calendar = await seasonCalendar(run.context.db, season);
  if (calendar.length === 0) {
    const fetched = await recorded(run, null, { kind: 'schedule', season, round: null }, () =>
      execute(run, { kind: 'schedule', season, round: null }),
    );
    // The source could not give the calendar: the job failed (not "no round raced yet").
    if (!fetched.ok) return { ok: false, note: `${season} calendar: ${fetched.note}` };
    calendar = await seasonCalendar(run.context.db, season);
  }
  if (onlyOnRaceWeekend && !raceWeekendOn(calendar, run.now))
    return { ok: true, note: 'no race weekend on' };
  const rounds = roundsToIngest(calendar, run.now);
  if (rounds.length === 0) return { ok: true, note: `${season}: no round raced yet` };
  return recorded(
    run,
    null,
    { kind: 'race', season, round: rounds.length === 1 ? (rounds[0] ?? null) : null },
    async () => {
      const deps = { db: run.context.db, client: run.client, signal: run.signal, fence: run.fence };
      const reports: IngestionReport[] = [];
      for (const round of rounds) {
        if (run.signal.aborted) break;
        const scheduled = calendar.find((r) => r.round === round);
        const timing =
          scheduled !== undefined &&
          (await wantsTiming(run.context.db, season, scheduled, run.now));
        reports.push(await new RaceIngestionService(deps).run({ season, round }, { timing }));
        reports.push(await new QualifyingIngestionService(deps).run({ season, round }));
        if (run.weather) {
          const weather = await ingestWeather(
            {
              db: run.context.db,
              provider: run.weather,
              logger: run.context.logger,
              changes: run.context.changes,
              now: run.now,
              fence: run.fence,
            },
            { season, round },
          );
          for (const f of weather.failures) {
            run.context.logger.warn('weather failed', { season, round: f.round, error: f.message });
          }
        }
      }
      return withReport(mergeReports(season, reports));
    },
  );
}

async function queue(run: JobRun, staleAfterMs: number): Promise<JobOutcome> {
  const requeued = await requeueStaleIngestionRuns(run.context.db, { staleAfterMs });
  const claimed = await claimNextIngestionRun(run.context.db);
  if (!claimed)
    return {
      ok: true,
      note: requeued ? `${requeued} stale run(s) requeued; queue empty` : 'queue empty',
    };
  const outcome = await recorded(run, claimed, claimed, () => execute(run, claimed));
  return {
    ...outcome,
    note: `run ${claimed.id} (${claimed.kind} ${claimed.season ?? ''}${claimed.round ? `/${claimed.round}` : ''}): ${outcome.note}`,
  };
}

export function runJob(
  name: JobName,
  run: JobRun,
  options: { staleAfterMs: number },
): Promise<JobOutcome> {
  const season = run.now.getUTCFullYear();
  switch (name) {
    case 'latest-round':
      return latestRound(run, false);
    case 'race-weekend':
      return latestRound(run, true);
    case 'schedule':
      return recorded(run, null, { kind: 'schedule', season, round: null }, () =>
        execute(run, { kind: 'schedule', season, round: null }),
      );
    case 'validate':
      return recorded(run, null, { kind: 'validate', season, round: null }, () =>
        execute(run, { kind: 'validate', season, round: null }),
      );
    case 'queue':
      return queue(run, options.staleAfterMs);
  }
}
