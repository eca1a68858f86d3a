/**
 * Stores backtest predictions of `elo-baseline` as ordinary (backtest) prediction sets, in bulk, and
 * scores them, so `predictions.list({ backtest: true })` and the accuracy leaderboard show them like any
 * other model's.
 */
import type { ScoredEntry } from '@f1/db/accuracy/metrics';
import { type PredictionSetInput, submitPredictionSets } from '@f1/db/predictions/submit';
import type { DB } from '@f1/db/schema';
import { recomputeAccuracy } from '@f1/domain/accuracy/recompute';
import { ELO_BASELINE_MODEL, ELO_BASELINE_VERSION } from '@f1/domain/baseline/model';
import type { HookContext } from '@f1/domain/changes/hooks';
import { type Kysely, sql } from 'kysely';
import type { ScoredRace } from './backtest.ts';

const round6 = (p: number) => Math.round(p * 1e6) / 1e6;

function toSet(
  race: ScoredRace,
  stage: 'pre_qualifying' | 'post_qualifying',
  entries: ScoredEntry[],
  refs: Map<number, string>,
): PredictionSetInput {
  return {
    season: race.view.season,
    round: race.view.round,
    model: ELO_BASELINE_MODEL,
    version: ELO_BASELINE_VERSION,
    stage,
    backtest: true,
    entries: entries.map((e) => ({
      driverId: refs.get(e.driverId) ?? String(e.driverId),
      predictedPosition: e.predictedPosition,
      winProbability: round6(e.winProbability),
      podiumProbability: round6(Math.max(e.podiumProbability, e.winProbability)),
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
  context: HookContext,
  scored: ScoredRace[],
): Promise<{ sets: number; created: number; accuracyRows: number }> {
  const refs = await driverRefs(context.db);
  const sets = scored.flatMap((race) => [
    toSet(race, 'pre_qualifying', race.predictions['elo-pre'], refs),
    toSet(race, 'post_qualifying', race.predictions['elo-post'], refs),
  ]);
  let created = 0;
  for (let i = 0; i < sets.length; i += 1_000) {
    const results = await submitPredictionSets(context.db, sets.slice(i, i + 1_000), {
      submittedBy: 'system',
      path: ['sets'],
    });
    created += results.filter((r) => r.status !== 'unchanged').length;
  }
  const accuracyRows = await recomputeAccuracy(
    context,
    scored.map((r) => r.view.raceId),
  );
  return { sets: sets.length, created, accuracyRows };
}
