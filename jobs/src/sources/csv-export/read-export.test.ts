import { expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { CsvFormatError, readErgastExport } from './read-export.ts';

test('reads the export into ref-keyed records', () => {
  const data = readErgastExport(MINI_EXPORT_DIR);
  expect(data.circuits[0]).toEqual({
    circuit_ref: 'test_ring',
    name: 'Ring, The "Test" One',
    locality: 'Nowhere',
    country: 'Utopia',
    latitude: 50.33,
    longitude: 6.94,
    altitude_m: 620,
    url: 'http://example.org/test_ring',
  });
  expect(data.drivers.find((d) => d.driver_ref === 'driver_d')).toMatchObject({
    permanent_number: 44,
    code: null,
    date_of_birth: null,
  });
  expect(data.races.map((r) => [r.season, r.round, r.circuitRef, r.starts_at])).toEqual([
    [2021, 1, 'test_ring', '2021-04-04T13:00:00Z'],
    [2021, 2, 'test_ring', '2021-04-18T13:00:00Z'],
    [2021, 3, 'test_ring', null],
    [1955, 1, 'old_park', null],
  ]);
  expect(data.sessions.filter((s) => s.round === 2 && s.season === 2021)).toEqual([
    { season: 2021, round: 2, kind: 'fp1', date: '2021-04-16', starts_at: '2021-04-16T11:30:00Z' },
    {
      season: 2021,
      round: 2,
      kind: 'qualifying',
      date: '2021-04-16',
      starts_at: '2021-04-16T15:00:00Z',
    },
    {
      season: 2021,
      round: 2,
      kind: 'sprint',
      date: '2021-04-17',
      starts_at: '2021-04-17T14:30:00Z',
    },
  ]);
  const winner = data.results.find(
    (r) => r.season === 2021 && r.round === 1 && r.driverRef === 'driver_a',
  );
  expect(winner).toMatchObject({
    teamRef: 'team_one',
    entry: 1,
    points: 26,
    time_millis: 5_504_742,
    time_text: '1:31:44.742',
    fastest_lap: 39,
    fastest_lap_rank: 1,
    fastest_lap_millis: 92_608,
    fastest_lap_speed_kph: 210.383,
    status: 'Finished',
  });
  expect(data.results.find((r) => r.driverRef === 'driver_b' && r.round === 2)?.points).toBe(12.5);
  expect(data.sprintResults.length).toBe(4);
  expect(data.qualifying.find((q) => q.driverRef === 'driver_c')).toMatchObject({
    q1_millis: 88_000,
    q2_millis: null,
    q3_millis: null,
  });
});

test('a shared drive becomes entries 1 and 2 in classification order', () => {
  const shared = readErgastExport(MINI_EXPORT_DIR)
    .results.filter((r) => r.driverRef === 'driver_e')
    .map((r) => [r.entry, r.position_order, r.points]);
  expect(shared.sort()).toEqual([
    [1, 2, 3],
    [2, 5, 1],
  ]);
});

test('seasons filter keeps only those races and their rows', () => {
  const data = readErgastExport(MINI_EXPORT_DIR, { seasons: [1955] });
  expect(data.races.map((r) => r.season)).toEqual([1955]);
  expect(data.results.length).toBe(3);
  expect(data.sprintResults).toEqual([]);
  expect(data.drivers.length).toBe(6);
});

function copyWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'export-'));
  cpSync(MINI_EXPORT_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

test('bad values are errors naming file, line and column', () => {
  const badPoints = copyWith('results.csv', (t) => t.replace('12.5,1', 'twelve,1'));
  expect(() => readErgastExport(badPoints)).toThrow(
    new CsvFormatError('results.csv line 6: points is not a number: "twelve"'),
  );
  const badLap = copyWith('qualifying.csv', (t) => t.replace('"1:28.000"', '"soon"'));
  expect(() => readErgastExport(badLap)).toThrow(
    'qualifying.csv line 4: q1 is not a lap time: "soon"',
  );
  const badDriver = copyWith('results.csv', (t) => t.replace('9005,502,102', '9005,502,999'));
  expect(() => readErgastExport(badDriver)).toThrow('results.csv line 6: unknown driverId 999');
  const badRound = copyWith('races.csv', (t) => t.replace('2021,3,7', '2021,3.5,7'));
  expect(() => readErgastExport(badRound)).toThrow(
    'races.csv line 4: round is not an integer: "3.5"',
  );
  expect(() => readErgastExport(tmpdir())).toThrow(/is not an Ergast CSV export/);
});
