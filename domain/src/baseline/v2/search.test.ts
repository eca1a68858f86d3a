import { describe, expect, test } from 'bun:test';
import { coordinateSearch } from './search.ts';

describe('coordinateSearch', () => {
  test('finds the minimum of a shifted quadratic', () => {
    const f = (x: readonly number[]) => ((x[0] ?? 0) - 1.3) ** 2 + 3 * ((x[1] ?? 0) + 0.7) ** 2;
    const r = coordinateSearch(f, [0, 0], {
      steps: [1, 1],
      lower: [-5, -5],
      upper: [5, 5],
      tolerance: 1e-4,
    });
    expect(r.x[0]).toBeCloseTo(1.3, 3);
    expect(r.x[1]).toBeCloseTo(-0.7, 3);
    expect(r.value).toBeLessThan(1e-6);
  });

  test('respects bounds and the evaluation budget', () => {
    const f = (x: readonly number[]) => x[0] ?? 0;
    const r = coordinateSearch(f, [3], {
      steps: [1],
      lower: [0.5],
      upper: [4],
      maxEvaluations: 50,
    });
    expect(r.x[0]).toBe(0.5);
    const budget = coordinateSearch((x) => -(x[0] ?? 0), [0], {
      steps: [1],
      lower: [0],
      upper: [1e9],
      maxEvaluations: 7,
    });
    expect(budget.evaluations).toBe(7);
  });
});
