/**
 * The race ingestion service: race results and sprint results of a season (season-wide endpoints, ~5
 * requests) or of one round, written round by round.
 *
 * @example
 * const report = await new RaceIngestionService({ db, client }).run({ season: 2024 });
 * report.tables.race_results.created; // rows created
 */
import type { JolpicaClient } from '../source/jolpica-client.ts';
import { roundPayloads } from './round-payloads.ts';
import { type IngestionReport, type RunRoundsOptions, runRounds } from './run-rounds.ts';

export interface ServiceDeps extends RunRoundsOptions {
  client: JolpicaClient;
}

export interface RunTarget {
  season: number;
  round?: number;
}

export class RaceIngestionService {
  constructor(private readonly deps: ServiceDeps) {}

  async run(target: RunTarget): Promise<IngestionReport> {
    const results = await this.deps.client.results(target.season, target.round);
    const sprint = await this.deps.client.sprint(target.season, target.round);
    const failures = [...results.failures, ...sprint.failures];
    const payloads = roundPayloads(
      { results: results.races, sprint: sprint.races },
      new Set(failures.map((f) => f.round)),
    );
    return runRounds(this.deps, target.season, payloads, failures);
  }
}
