/**
 * The engine on small hand-made seasons (no shared data needed): best-N per block, countback and shared
 * positions, sprints, exclusions, penalties, new entrants, and the constructors' best-car scoring.
 */
import { describe, expect, test } from 'bun:test';
import { computeSeasonStandings, countedItems } from './engine.ts';
import { compareCountback } from './ranking.ts';
import type { ConstructorRules, SeasonRules } from './rules-types.ts';
import type { ResultEntry, RoundResults, StandingRow } from './types.ts';

/** Points per finishing position for the hand-made races (10-6-4-3-2-1). */
const SCALE = [10, 6, 4, 3, 2, 1];

/** A race where `order` finished in that order, scoring SCALE; `extra` rows appended as given. */
function race(round: number, order: string[], extra: ResultEntry[] = []): RoundResults {
  const rows = order.map((id, i) => entry(id, i + 1, SCALE[i] ?? 0));
  return { round, race: [...rows, ...extra], sprint: [] };
}

function entry(
  driver: string,
  position: number | null,
  points: number,
  more: Partial<ResultEntry> = {},
) {
  return {
    driver,
    constructor: `team_${driver}`,
    car: driver,
    points,
    position,
    positionOrder: position ?? 99,
    ...more,
  } satisfies ResultEntry;
}

const rules = (more: Partial<SeasonRules> = {}): SeasonRules => ({
  season: 2000,
  drivers: { counting: [] },
  constructors: null,
  adjustments: [],
  ...more,
});

const line = (rows: readonly StandingRow[] | null | undefined, id: string) => {
  const found = rows?.find((r) => r.id === id);
  if (!found) throw new Error(`${id} missing`);
  return found;
};

describe('best-N results', () => {
  test('per block: best 1 of rounds 1–2 and best 1 of the rest, counted as the rounds come', () => {
    const season = [
      race(1, ['a', 'b']),
      race(2, ['b', 'a']),
      race(3, ['a', 'b']),
      race(4, ['a', 'b']),
    ];
    const tables = computeSeasonStandings(
      rules({
        drivers: {
          counting: [
            { fromRound: 1, toRound: 2, best: 1 },
            { fromRound: 3, toRound: null, best: 1 },
          ],
        },
      }),
      season,
    );
    expect(line(tables[0]?.drivers, 'a')).toMatchObject({ points: 10, droppedPoints: 0 });
    expect(line(tables[1]?.drivers, 'a')).toMatchObject({
      points: 10,
      grossPoints: 16,
      droppedPoints: 6,
      droppedRounds: [2],
    });
    expect(line(tables[3]?.drivers, 'a')).toMatchObject({
      points: 20,
      grossPoints: 36,
      droppedRounds: [2, 4],
      wins: 3,
    });
    expect(line(tables[3]?.drivers, 'b')).toMatchObject({ points: 16, droppedRounds: [1, 4] });
  });

  test('sprints always count and the better finish is kept among equal points', () => {
    const items = [
      { round: 1, points: 3, position: 4, countback: [4], sprint: false },
      { round: 2, points: 3, position: 2, countback: [2], sprint: false },
      { round: 2, points: 8, position: 1, countback: [], sprint: true },
    ];
    const { counted, dropped } = countedItems(items, [{ fromRound: 1, toRound: null, best: 1 }]);
    expect(counted.map((i) => [i.round, i.sprint])).toEqual([
      [2, true],
      [2, false],
    ]);
    expect(dropped.map((i) => i.round)).toEqual([1]);
  });
});

describe('ranking', () => {
  test('countback: more wins first, then more seconds; one more finish beats none', () => {
    expect(compareCountback([1, 5], [2, 2])).toBeLessThan(0);
    expect(compareCountback([2, 3], [2, 2])).toBeGreaterThan(0);
    expect(compareCountback([3, 9], [3])).toBeLessThan(0);
    expect(compareCountback([3], [3])).toBe(0);
  });

  test('level on points: countback decides; level on everything: shared position, flagged', () => {
    // a: 1st + 6th-less (10); b: 2nd + 3rd (6 + 4 = 10); c and d: one 4th each (3).
    const tables = computeSeasonStandings(rules(), [
      race(1, ['a', 'b', 'x', 'c']),
      { round: 2, race: [entry('b', 3, 4), entry('d', 4, 3), entry('a', null, 0)], sprint: [] },
    ]);
    const table = tables[1]?.drivers ?? [];
    expect(table.map((r) => [r.id, r.position, r.positionText, r.tied])).toEqual([
      ['a', 1, '1', false],
      ['b', 2, '2', false],
      ['x', 3, '3', false],
      ['c', 4, '4', true],
      ['d', 4, '4', true],
    ]);
  });

  test('sprint points count but give no win and no countback', () => {
    const tables = computeSeasonStandings(rules(), [
      {
        round: 1,
        race: [entry('a', 1, 10), entry('b', 2, 6)],
        sprint: [entry('b', 1, 8), entry('a', 2, 4)],
      },
    ]);
    expect(line(tables[0]?.drivers, 'a')).toMatchObject({ points: 14, wins: 1, position: 1 });
    expect(line(tables[0]?.drivers, 'b')).toMatchObject({ points: 14, wins: 0, position: 2 });
  });

  test('rounds given out of order are computed in order; a newcomer appears from its first round', () => {
    const tables = computeSeasonStandings(rules(), [race(2, ['b', 'a']), race(1, ['a'])]);
    expect(tables.map((t) => t.round)).toEqual([1, 2]);
    expect(tables[0]?.drivers.map((r) => r.id)).toEqual(['a']);
    expect(line(tables[1]?.drivers, 'a').points).toBe(16);
  });
});

describe('adjustments', () => {
  const season = [race(1, ['a', 'b', 'c']), race(2, ['a', 'b', 'c'])];

  test('a driver excluded from round 2 on: last, D, points kept', () => {
    const tables = computeSeasonStandings(
      rules({
        adjustments: [
          {
            kind: 'excluded',
            table: 'drivers',
            id: 'a',
            fromRound: 2,
            forfeitsPoints: false,
            source: 't',
          },
        ],
      }),
      season,
    );
    expect(tables[0]?.drivers[0]).toMatchObject({ id: 'a', position: 1, positionText: '1' });
    expect(tables[1]?.drivers.map((r) => [r.id, r.position, r.positionText, r.points])).toEqual([
      ['b', 1, '1', 12],
      ['c', 2, '2', 8],
      ['a', 3, 'D', 20],
    ]);
  });

  test('a constructor excluded with points forfeited: E, 0 points, gross points kept', () => {
    const tables = computeSeasonStandings(
      rules({
        constructors: { scoring: { kind: 'all-cars' }, counting: [], excludedRounds: [] },
        adjustments: [
          {
            kind: 'excluded',
            table: 'constructors',
            id: 'team_a',
            fromRound: 1,
            forfeitsPoints: true,
            source: 't',
          },
        ],
      }),
      season,
    );
    expect(tables[1]?.constructors?.at(-1)).toMatchObject({
      id: 'team_a',
      positionText: 'E',
      points: 0,
      grossPoints: 20,
      wins: 2,
    });
    // The drivers' table is untouched.
    expect(tables[1]?.drivers[0]).toMatchObject({ id: 'a', points: 20, positionText: '1' });
  });

  test('a penalty from round 2; a new entrant under the same id from round 2', () => {
    const tables = computeSeasonStandings(
      rules({
        adjustments: [
          { kind: 'penalty', table: 'drivers', id: 'a', fromRound: 2, points: -15, source: 't' },
          { kind: 'new-entrant', table: 'drivers', id: 'c', fromRound: 2, source: 't' },
        ],
      }),
      season,
    );
    expect(line(tables[0]?.drivers, 'a')).toMatchObject({ points: 10, adjustmentPoints: 0 });
    expect(line(tables[1]?.drivers, 'a')).toMatchObject({
      points: 5,
      grossPoints: 20,
      adjustmentPoints: -15,
      position: 2,
    });
    expect(line(tables[0]?.drivers, 'c').points).toBe(4);
    expect(line(tables[1]?.drivers, 'c')).toMatchObject({ points: 4, grossPoints: 4, position: 3 });
  });
});

describe('constructors', () => {
  const bestCar = (more: Partial<ConstructorRules> = {}): SeasonRules =>
    rules({
      constructors: {
        scoring: { kind: 'best-car', withoutFastestLap: null },
        counting: [],
        excludedRounds: [],
        ...more,
      },
    });
  const works = (driver: string, position: number | null, points: number, car = driver) =>
    entry(driver, position, points, { constructor: 'works', car, positionOrder: position ?? 99 });

  test('an entry without a constructor scores for its driver only', () => {
    const entries = [entry('a', 1, 10, { constructor: null }), entry('b', 2, 6)];
    for (const scoring of [
      { kind: 'all-cars' } as const,
      { kind: 'best-car', withoutFastestLap: null } as const,
    ]) {
      const tables = computeSeasonStandings(
        rules({ constructors: { scoring, counting: [], excludedRounds: [] } }),
        [{ round: 1, race: entries, sprint: [entry('a', 1, 3, { constructor: null })] }],
      );
      expect(tables[0]?.constructors?.map((r) => [r.id, r.points])).toEqual([['team_b', 6]]);
      expect(line(tables[0]?.drivers, 'a').points).toBe(13);
    }
  });

  test('best car only; every car in the countback; one win per race', () => {
    const tables = computeSeasonStandings(bestCar(), [
      { round: 1, race: [works('a', 1, 10), works('b', 2, 6), entry('c', 3, 4)], sprint: [] },
    ]);
    expect(tables[0]?.constructors).toEqual([
      expect.objectContaining({ id: 'works', points: 10, wins: 1, position: 1 }),
      expect.objectContaining({ id: 'team_c', points: 4, position: 2 }),
    ]);
    expect(tables[0]?.drivers.length).toBe(3);
  });

  test('a shared car scores its rows’ sum; a Formula 2 car ahead (0 points) changes nothing', () => {
    const tables = computeSeasonStandings(bestCar(), [
      {
        round: 1,
        race: [entry('f2', 1, 0), works('a', 2, 5, '7'), works('b', 2, 5, '7'), entry('c', 3, 6)],
        sprint: [],
      },
    ]);
    expect(line(tables[0]?.constructors, 'works').points).toBe(10);
    expect(line(tables[0]?.constructors, 'team_c').points).toBe(6);
    expect(line(tables[0]?.constructors, 'team_f2').points).toBe(0);
  });

  test('fastest-lap point stripped by position; excluded rounds do not count', () => {
    const tables = computeSeasonStandings(
      bestCar({
        scoring: { kind: 'best-car', withoutFastestLap: [8, 6, 4, 3, 2] },
        excludedRounds: [2],
      }),
      [
        // a won with the fastest lap (9); c, 7th, scored only the fastest-lap point of round 3.
        { round: 1, race: [works('a', 1, 9), entry('b', 2, 6)], sprint: [] },
        { round: 2, race: [entry('b', 1, 8), works('a', 2, 6)], sprint: [] },
        { round: 3, race: [works('a', 1, 8), entry('c', 7, 1)], sprint: [] },
      ],
    );
    expect(line(tables[2]?.constructors, 'works')).toMatchObject({ points: 16, wins: 2 });
    expect(line(tables[2]?.constructors, 'team_b')).toMatchObject({ points: 6, wins: 0 });
    expect(line(tables[2]?.constructors, 'team_c').points).toBe(0);
    expect(line(tables[2]?.drivers, 'a').points).toBe(23);
  });
});
