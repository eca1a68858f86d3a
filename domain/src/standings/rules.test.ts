/**
 * The rules table's shape, season by season (the every-round comparison in history.test.ts is what
 * proves the values; this checks the table without the shared data).
 */
import { describe, expect, test } from 'bun:test';
import { seasonRules } from './rules.ts';

const seasons = Array.from({ length: 2025 - 1950 + 1 }, (_, i) => 1950 + i);

describe('seasonRules', () => {
  test('best-N to 1990, split seasons 1967–1980, every result counts from 1991', () => {
    expect(seasonRules(1950).drivers.counting).toEqual([{ fromRound: 1, toRound: null, best: 4 }]);
    expect(seasonRules(1967).drivers.counting).toEqual([
      { fromRound: 1, toRound: 6, best: 5 },
      { fromRound: 7, toRound: null, best: 4 },
    ]);
    expect(seasonRules(1988).drivers.counting).toEqual([{ fromRound: 1, toRound: null, best: 11 }]);
    for (const season of seasons.filter((s) => s >= 1991)) {
      expect(seasonRules(season).drivers.counting).toEqual([]);
    }
  });

  test('constructors: none before 1958, best car to 1978 (fastest-lap point stripped 1958–1959), all cars after', () => {
    expect(seasonRules(1957).constructors).toBeNull();
    expect(seasonRules(1958).constructors).toEqual({
      scoring: { kind: 'best-car', withoutFastestLap: [8, 6, 4, 3, 2] },
      counting: [{ fromRound: 1, toRound: null, best: 6 }],
      excludedRounds: [4],
    });
    expect(seasonRules(1978).constructors?.scoring).toEqual({
      kind: 'best-car',
      withoutFastestLap: null,
    });
    expect(seasonRules(1961).constructors?.excludedRounds).toEqual([]);
    expect(seasonRules(1979).constructors).toEqual({
      scoring: { kind: 'all-cars' },
      counting: [],
      excludedRounds: [],
    });
  });

  test('adjustments only where the results do not tell, each with its source', () => {
    const adjusted = seasons.filter((s) => seasonRules(s).adjustments.length > 0);
    expect(adjusted).toEqual([1997, 2007, 2018, 2020]);
    for (const season of adjusted) {
      for (const a of seasonRules(season).adjustments) expect(a.source.length).toBeGreaterThan(20);
    }
    expect(seasonRules(2020).adjustments).toEqual([
      expect.objectContaining({ kind: 'penalty', id: 'racing_point', fromRound: 5, points: -15 }),
    ]);
  });
});
