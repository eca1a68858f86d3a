import { expect, test } from 'bun:test';
import { compareStandings, formatDifference } from './compare-standings.ts';

const row = (ref: string, position: number, points: number, wins = 0) => ({
  ref,
  position,
  points,
  wins,
});

test('equal standings have no differences (points compared to the cent)', () => {
  expect(compareStandings('drivers', [row('a', 1, 12.5, 1)], [row('a', 1, 12.5001, 1)])).toEqual(
    [],
  );
});

test('every kind of difference is listed and formatted', () => {
  const differences = compareStandings(
    'constructors',
    [row('mclaren', 1, 218, 8), row('ferrari', 2, 204, 9), row('extra', 3, 0)],
    [row('ferrari', 1, 204, 9), row('mclaren', 11, 0, 8), row('spyker', 10, 1)],
  );
  expect(differences.map((d) => formatDifference(2007, d))).toEqual([
    '2007 constructors ferrari: position ours 2, official 1',
    '2007 constructors mclaren: points ours 218, official 0',
    '2007 constructors mclaren: position ours 1, official 11',
    '2007 constructors spyker: in the official standings (P10) but not in ours',
    '2007 constructors extra: in our standings (P3) but not in the official ones',
  ]);
  expect(compareStandings('drivers', [row('a', 1, 10, 2)], [row('a', 1, 10, 1)])).toEqual([
    { kind: 'drivers', ref: 'a', field: 'wins', ours: 2, official: 1 },
  ]);
});
