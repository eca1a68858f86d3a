/**
 * The backtest's adapter to `elo-baseline` v2 (domain/src/baseline/v2/): turns history races and
 * qualifying times into v2's inputs, and scores pairwise log loss on both pair sets — the project's
 * (mechanical retirements left out, driver faults behind) and both-finished pairs — for v2 and, on the
 * same pairs, for v1's ELO.
 */
import { type RaceFeatures, ratedEntries } from '@f1/domain/baseline/v2/features';
import { finishedPairProbability, pairProbability } from '@f1/domain/baseline/v2/probabilities';
import type { QualifyingTime, V2Race } from '@f1/domain/baseline/v2/types';
import { expectedScore } from '@f1/domain/ratings/elo';
import type { HistoryRace } from '@f1/domain/ratings/replay';

export interface PairLoss {
  sum: number;
  pairs: number;
}

/** Pairwise log loss on the project's pairs and on both-finished pairs. */
export interface PairSets {
  project: PairLoss;
  finished: PairLoss;
}

export const withQualifying = (
  race: HistoryRace,
  qualifying: ReadonlyMap<number, readonly QualifyingTime[]> | undefined,
): V2Race => ({ ...race, qualifying: qualifying?.get(race.raceId) });

/** Both pair sets of a race, scored by `ahead(a, b)` = P(a finishes ahead of b). */
export function pairSets(
  race: HistoryRace,
  ahead: (a: number, b: number, set: keyof PairSets) => number,
): PairSets {
  const entries = ratedEntries(race.results);
  const out: PairSets = { project: { sum: 0, pairs: 0 }, finished: { sum: 0, pairs: 0 } };
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i];
      const b = entries[j];
      if (!a || !b || a.rank === b.rank) continue;
      const [first, second] = a.rank < b.rank ? [a, b] : [b, a];
      const bothFinished = second.rank < 1_000;
      const loss = (set: keyof PairSets) =>
        -Math.log(Math.max(1e-12, ahead(first.driverId, second.driverId, set)));
      out.project.sum += loss('project');
      out.project.pairs++;
      if (bothFinished) {
        out.finished.sum += loss('finished');
        out.finished.pairs++;
      }
    }
  }
  return out;
}

export function v2PairSets(race: HistoryRace, features: RaceFeatures): PairSets {
  const byDriver = new Map(features.entries.map((e) => [e.driverId, e]));
  return pairSets(race, (a, b, set) => {
    const x = byDriver.get(a);
    const y = byDriver.get(b);
    if (!x || !y) return 0.5;
    return set === 'finished' ? finishedPairProbability(x, y) : pairProbability(x, y);
  });
}

export function eloPairSets(race: HistoryRace, rating: (id: number) => number): PairSets {
  return pairSets(race, (a, b) => expectedScore(rating(a), rating(b)));
}
