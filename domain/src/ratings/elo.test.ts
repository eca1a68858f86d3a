import { describe, expect, test } from 'bun:test';
import { eloRace, expectedScore, pairwiseLogLoss } from './elo.ts';

const config = { k: 32, initial: 1500 };
const flat = () => 1500;

describe('expectedScore', () => {
  test('is ½ between equals and 1/(1+10) for 400 points down', () => {
    expect(expectedScore(1500, 1500)).toBe(0.5);
    expect(expectedScore(1500, 1900)).toBeCloseTo(1 / 11, 12);
    expect(expectedScore(1900, 1500) + expectedScore(1500, 1900)).toBeCloseTo(1, 12);
  });
});

describe('eloRace', () => {
  test('three equals: the winner gains K/(n−1)·1, the middle nothing, the last loses as much', () => {
    const changes = eloRace(
      flat,
      [
        { id: 1, rank: 1 },
        { id: 2, rank: 2 },
        { id: 3, rank: 3 },
      ],
      config,
    );
    expect(changes.map((c) => c.after)).toEqual([1516, 1500, 1484]);
  });

  test('is zero-sum and independent of the order competitors are listed in', () => {
    const ratings = new Map([
      [1, 1620],
      [2, 1480],
      [3, 1530],
      [4, 1400],
    ]);
    const field = [
      { id: 3, rank: 1 },
      { id: 1, rank: 2 },
      { id: 4, rank: 1000 },
      { id: 2, rank: 1000 },
    ];
    const rating = (id: number) => ratings.get(id) ?? 0;
    const a = eloRace(rating, field, config);
    const b = eloRace(rating, [...field].reverse(), config);
    expect(a.reduce((s, c) => s + c.after - c.before, 0)).toBeCloseTo(0, 9);
    for (const change of a) expect(b.find((c) => c.id === change.id)?.after).toBe(change.after);
  });

  test('a lone competitor keeps its rating', () => {
    expect(eloRace(flat, [{ id: 9, rank: 1 }], config)).toEqual([
      { id: 9, before: 1500, after: 1500 },
    ]);
  });
});

describe('pairwiseLogLoss', () => {
  test('equal ratings score ln 2 per decided pair; draws are not scored', () => {
    const { sum, pairs } = pairwiseLogLoss(flat, [
      { id: 1, rank: 1 },
      { id: 2, rank: 2 },
      { id: 3, rank: 2 },
    ]);
    expect(pairs).toBe(2);
    expect(sum / pairs).toBeCloseTo(Math.LN2, 12);
  });

  test('a favourite finishing ahead costs −ln(E)', () => {
    const rating = (id: number) => (id === 1 ? 1900 : 1500);
    const { sum } = pairwiseLogLoss(rating, [
      { id: 2, rank: 2 },
      { id: 1, rank: 1 },
    ]);
    expect(sum).toBeCloseTo(-Math.log(10 / 11), 12);
  });
});
