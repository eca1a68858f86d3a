/**
 * The API entry points (CLI verbs and scheduler jobs): the Jolpica source, read for a scope, written
 * by the one pipeline (../../ingestion/run-ingestion.ts).
 *
 *   ingestSeason                 the schedule and the season's page (url), then race results, sprint
 *                                results and qualifying; the season's races the schedule no longer lists
 *                                removed (2024: 14 requests)
 *   RaceIngestionService         race and sprint results of a season or one round (with `timing`, the
 *                                round's laps and pit stops too: ceil(timings/100) + 1 requests a round)
 *   QualifyingIngestionService   qualifying of a season or one round
 *
 * @example
 * const report = await new RaceIngestionService({ db, client }).run({ season: 2024 });
 * report.tables.race_results.created; // rows created
 */
import type { Part } from '../../ingestion/dataset.ts';
import type { IngestionReport } from '../../ingestion/report.ts';
import { type IngestOptions, runIngestion } from '../../ingestion/run-ingestion.ts';
import type { JolpicaClient } from './client.ts';
import { JolpicaSource } from './source.ts';

export interface ServiceDeps extends IngestOptions {
  client: JolpicaClient;
}

export interface RunTarget {
  season: number;
  round?: number;
}

/** `laps` and `pitstops` are read per run round (ceil(timings/100) + 1 requests each): opt-in. */
export type SeasonDataset = 'results' | 'sprint' | 'qualifying' | 'laps' | 'pitstops';
const ALL_DATASETS: readonly SeasonDataset[] = ['results', 'sprint', 'qualifying'];

function ingest(deps: ServiceDeps, target: RunTarget, parts: readonly Part[]) {
  const scope =
    target.round === undefined
      ? ({ kind: 'season', season: target.season } as const)
      : ({ kind: 'round', season: target.season, round: target.round } as const);
  return runIngestion(deps, new JolpicaSource(deps.client), { scope, parts });
}

/** The schedule plus `datasets` (default: all three); `datasets: []` refreshes the calendar only (2 requests). */
export function ingestSeason(
  deps: ServiceDeps,
  season: number,
  options: { datasets?: readonly SeasonDataset[] } = {},
): Promise<IngestionReport> {
  return ingest(deps, { season }, ['schedule', ...(options.datasets ?? ALL_DATASETS)]);
}

export class RaceIngestionService {
  constructor(private readonly deps: ServiceDeps) {}

  run(target: RunTarget, options: { timing?: boolean } = {}): Promise<IngestionReport> {
    const timing: Part[] = options.timing ? ['laps', 'pitstops'] : [];
    return ingest(this.deps, target, ['results', 'sprint', ...timing]);
  }
}

export class QualifyingIngestionService {
  constructor(private readonly deps: ServiceDeps) {}

  run(target: RunTarget): Promise<IngestionReport> {
    return ingest(this.deps, target, ['qualifying']);
  }
}
