/**
 * A whole season: the schedule (circuits, races, sessions), then race results, sprint results and
 * qualifying — every round's data written in one transaction — and finally races the schedule no
 * longer lists (cancelled, never run) removed. 2024 takes 13 requests (1 + 5 + 2 + 5 pages of 100 rows).
 */
import { deleteUnscheduledRaces } from '@f1/db/ingestion/writes';
import type { ServiceDeps } from './race-ingestion.ts';
import { roundPayloads } from './round-payloads.ts';
import { type IngestionReport, runRounds } from './run-rounds.ts';

export type SeasonDataset = 'results' | 'sprint' | 'qualifying';
const ALL_DATASETS: readonly SeasonDataset[] = ['results', 'sprint', 'qualifying'];
const NOTHING = { races: [], failures: [], pages: 0 };

/** The schedule plus `datasets` (default: all three); `datasets: []` refreshes the calendar only (1 request). */
export async function ingestSeason(
  deps: ServiceDeps,
  season: number,
  options: { datasets?: readonly SeasonDataset[] } = {},
): Promise<IngestionReport> {
  const wanted = new Set(options.datasets ?? ALL_DATASETS);
  const schedule = await deps.client.schedule(season);
  const results = wanted.has('results') ? await deps.client.results(season) : NOTHING;
  const sprint = wanted.has('sprint') ? await deps.client.sprint(season) : NOTHING;
  const qualifying = wanted.has('qualifying') ? await deps.client.qualifying(season) : NOTHING;
  const failures = [
    ...schedule.failures,
    ...results.failures,
    ...sprint.failures,
    ...qualifying.failures,
  ];
  const payloads = roundPayloads(
    {
      schedule: schedule.races,
      results: wanted.has('results') ? results.races : undefined,
      sprint: wanted.has('sprint') ? sprint.races : undefined,
      qualifying: wanted.has('qualifying') ? qualifying.races : undefined,
    },
    new Set(failures.map((f) => f.round)),
  );
  const report = await runRounds(deps, season, payloads, failures);
  // An empty schedule (unknown season, or a bad answer) never deletes a calendar.
  if (schedule.races.length > 0 && !report.aborted && schedule.failures.length === 0) {
    const deleted = await deleteUnscheduledRaces(deps.db, {
      season,
      rounds: schedule.races.map((r) => r.round),
    });
    report.tables.races.deleted += deleted;
    report.totals.deleted += deleted;
    if (deleted > 0 && !report.changedSeasons.includes(season)) report.changedSeasons.push(season);
  }
  return report;
}
