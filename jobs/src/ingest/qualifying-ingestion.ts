/** The qualifying ingestion service: a season's (or one round's) qualifying, written round by round. */

import type { RunTarget, ServiceDeps } from './race-ingestion.ts';
import { roundPayloads } from './round-payloads.ts';
import { type IngestionReport, runRounds } from './run-rounds.ts';

export class QualifyingIngestionService {
  constructor(private readonly deps: ServiceDeps) {}

  async run(target: RunTarget): Promise<IngestionReport> {
    const qualifying = await this.deps.client.qualifying(target.season, target.round);
    const payloads = roundPayloads(
      { qualifying: qualifying.races },
      new Set(qualifying.failures.map((f) => f.round)),
    );
    return runRounds(this.deps, target.season, payloads, qualifying.failures);
  }
}
