import { describe, expect, test } from 'bun:test';
import { viewOf } from './features.ts';
import { V2Forecaster } from './forecaster.ts';
import { syntheticSeasons } from './testing.ts';
import type { V2Race } from './types.ts';

/** Walk-forward predictions (with refits at each season start) of every race of seasons ≥ `from`. */
function walk(races: readonly V2Race[], from: number) {
  const forecaster = new V2Forecaster({ windows: { ratingSeasons: 3, stageSeasons: 2 } });
  const out: string[] = [];
  for (const race of races) {
    if (race.season >= from) {
      const { pre, post } = forecaster.predict(viewOf(race));
      out.push(JSON.stringify({ pre, post }));
    }
    forecaster.observe(race);
  }
  return { out, forecaster };
}

describe('v2 forecaster', () => {
  const races = syntheticSeasons([2001, 2002, 2003, 2004], { rounds: 5 });

  test('predictions of races ≤ r are byte-identical when every result after r changes', () => {
    const r = 12; // 2003 round 3
    const before = walk(races, 2003).out;
    const changed = races.map((race, i) =>
      i <= r
        ? race
        : {
            ...race,
            results: race.results.map((x, k, all) => ({
              ...x,
              positionOrder: all.length - k,
              position: all.length - k,
            })),
          },
    );
    const after = walk(changed, 2003).out;
    const upTo = r - 10 + 1; // races 2003/1 … 2003/3
    expect(after.slice(0, upTo)).toEqual(before.slice(0, upTo));
    expect(after.slice(upTo)).not.toEqual(before.slice(upTo));
  });

  test('refits once per predicted season, on earlier seasons only, and predicts proper probabilities', () => {
    const { forecaster } = walk(races, 2003);
    expect(forecaster.refits.map((r) => r.season)).toEqual([2003, 2004]);
    const { pre, post } = forecaster.predict(viewOf(races.at(-1) as V2Race));
    for (const set of [pre, post]) {
      const win = set.reduce((s, e) => s + e.winProbability, 0);
      const podium = set.reduce((s, e) => s + e.podiumProbability, 0);
      expect(win).toBeCloseTo(1, 9);
      expect(podium).toBeCloseTo(3, 9);
      expect(set.map((e) => e.predictedPosition).sort((a, b) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    }
  });

  test('fixed parameters never refit; races must come in order', () => {
    const fixed = new V2Forecaster({ params: new V2Forecaster().params });
    for (const race of races.slice(0, 6)) fixed.observe(race);
    fixed.predict(viewOf(races[6] as V2Race));
    expect(fixed.refits).toEqual([]);
    expect(() => fixed.observe(races[2] as V2Race)).toThrow('in order');
  });
});
