/**
 * Stores backtest predictions of `elo-baseline` (v1 and v2) as ordinary (backtest) prediction sets, in bulk, and
 * scores them, so `predictions.list({ backtest: true })` and the accuracy leaderboard show them like any
 * other model's. What it stored and scored is reported to the data-change pipeline.
 */

import type { PredictionKey } from '@f1/core/changes/data-changes';
import type { ScoredEntry } from '@f1/db/accuracy/metrics';
import { type PredictionSetInput, submitPredictionSets } from '@f1/db/predictions/submit';
import type { DB } from '@f1/db/schema';
import { scoreAccuracy } from '@f1/domain/accuracy/recompute';
import {
  ELO_BASELINE_MODEL,
  ELO_BASELINE_V1_VERSION,
  ELO_BASELINE_VERSION,
} from '@f1/domain/baseline/model';
import type { DomainContext } from '@f1/domain/context';
import { type Kysely, sql } from 'kysely';
import type { ScoredRace } from './backtest.ts';

const round6 = (p: number) => Math.round(p * 1e6) / 1e6;

function toSet(
  race: ScoredRace,
  stage: 'pre_qualifying' | 'post_qualifying',
  entries: readonly ScoredEntry[],
  refs: Map<number, string>,
  version: string,
): PredictionSetInput {
  return {
    season: race.view.season,
    round: race.view.round,
    model: ELO_BASELINE_MODEL,
    version,
    stage,
    backtest: true,
    entries: entries.map((e) => ({
      driverId: refs.get(e.driverId) ?? String(e.driverId),
      predictedPosition: e.predictedPosition,
      winProbability: round6(e.winProbability),
      podiumProbability: round6(e.podiumProbability),
    })),
  };
}

async function driverRefs(db: Kysely<DB>): Promise<Map<number, string>> {
  const rows = await sql<{
    id: number;
    driver_ref: string;
  }>`SELECT id, driver_ref FROM drivers`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, r.driver_ref]));
}

/** Submits pre- and post-qualifying backtest sets for every scored race, then scores them. */
export async function storeBacktest(
  context: Pick<DomainContext, 'db' | 'changes'>,
  scored: ScoredRace[],
): Promise<{ sets: number; created: number; accuracyRows: number }> {
  const refs = await driverRefs(context.db);
  const v1 = ELO_BASELINE_V1_VERSION;
  const v2 = ELO_BASELINE_VERSION;
  const sets = scored.flatMap((race) => [
    toSet(race, 'pre_qualifying', race.predictions['elo-pre'], refs, v1),
    toSet(race, 'post_qualifying', race.predictions['elo-post'], refs, v1),
    toSet(race, 'pre_qualifying', race.predictions['v2-pre'], refs, v2),
    toSet(race, 'post_qualifying', race.predictions['v2-post'], refs, v2),
  ]);
  const changed: PredictionKey[] = [];
  for (let i = 0; i < sets.length; i += 1_000) {
    const results = await submitPredictionSets(context.db, sets.slice(i, i + 1_000), {
      submittedBy: 'system',
      path: ['sets'],
    });
    for (const r of results) {
      if (r.status === 'unchanged') continue;
      changed.push({
        season: r.season,
        round: r.round,
        model: r.model,
        version: r.version,
        backtest: r.backtest,
      });
    }
  }
  const accuracy = await scoreAccuracy(
    context.db,
    scored.map((r) => r.view.raceId),
  );
  await context.changes.changed([
    { kind: 'predictions', sets: changed },
    { kind: 'accuracy', sets: accuracy.races },
  ]);
  return { sets: sets.length, created: changed.length, accuracyRows: accuracy.rows };
}
