/**
 * The backtest's adapter to `elo-baseline` v2 (domain/src/baseline/v2/): turns history races and
 * qualifying times into v2's inputs, and gives the report v2's own pair probabilities.
 */
import type { RaceFeatures } from '@f1/domain/baseline/v2/features';
import { finishedPairProbability, pairProbability } from '@f1/domain/baseline/v2/probabilities';
import type { QualifyingTime, V2Race } from '@f1/domain/baseline/v2/types';
import type { HistoryRace } from '@f1/domain/ratings/replay';
import type { PairProbability } from './scoring.ts';

export const withQualifying = (
  race: HistoryRace,
  qualifying: ReadonlyMap<number, readonly QualifyingTime[]> | undefined,
): V2Race => ({ ...race, qualifying: qualifying?.get(race.raceId) });

/**
 * v2's own P(a finishes ahead of b) for the report's pair sets (scoring.ts): on the project's pairs
 * (driver faults count behind) pace with reliability mixed in; on both-finished pairs pace alone.
 */
export function v2PairProbability(features: RaceFeatures): PairProbability {
  const byDriver = new Map(features.entries.map((e) => [e.driverId, e]));
  return (a, b, basis) => {
    const x = byDriver.get(a);
    const y = byDriver.get(b);
    if (!x || !y) return 0.5;
    return basis === 'bothFinished' ? finishedPairProbability(x, y) : pairProbability(x, y);
  };
}
