/** The fixture-contract comparator must see every structural difference the contract forbids. */
import { describe, expect, test } from 'bun:test';
import {
  checkFixture,
  compareErgast,
  contractSummary,
  fixtureRequest,
  jsonType,
} from './ergast-contract.ts';
import { lapTimeMillis } from './ergast-contract-data.ts';
import { ERGAST_CONTRACT_RULES, requestEndpoint } from './ergast-contract-rules.ts';

const recorded = {
  MRData: {
    xmlns: 'http://ergast.com/mrd/1.5',
    series: 'f1',
    url: 'http://ergast.com/api/f1/2023/4/driverStandings.json',
    limit: '30',
    offset: '0',
    total: '2',
    RaceTable: {
      season: '2023',
      Races: [
        {
          season: '2023',
          round: '1',
          Results: [
            { position: '1', status: 'Finished', points: '25' },
            { position: '2', status: '+1 Lap', points: '18' },
          ],
        },
      ],
    },
  },
};

type Answer = typeof recorded;
const copy = (): Answer => structuredClone(recorded);
const compare = (got: unknown, request = '/2023/4/driverStandings.json') =>
  compareErgast(recorded, got, { request, rules: ERGAST_CONTRACT_RULES });
const firstRace = (a: Answer) =>
  a.MRData.RaceTable.Races[0] as (typeof a.MRData.RaceTable.Races)[0];

describe('compareErgast: structure', () => {
  test('an identical answer has no differences', () => {
    expect(compare(copy())).toEqual({ structural: [], values: [] });
  });

  test('a missing key', () => {
    const got = copy() as unknown as { MRData: Record<string, unknown> };
    delete got.MRData.total;
    expect(compare(got).structural).toEqual([
      { kind: 'missing key', path: 'MRData.total', expected: 'total', got: '' },
    ]);
  });

  test('an extra key (a null where the dialect leaves the field out)', () => {
    const got = copy();
    Object.assign(firstRace(got).Results[0] ?? {}, { grid: null });
    expect(compare(got).structural).toEqual([
      {
        kind: 'extra key',
        path: 'MRData.RaceTable.Races[0].Results[0].grid',
        expected: '',
        got: 'grid',
      },
    ]);
  });

  test('a reordered key', () => {
    const { xmlns, series, ...rest } = recorded.MRData;
    const got = { MRData: { series, xmlns, ...rest } };
    expect(compare(got).structural).toEqual([
      {
        kind: 'key order',
        path: 'MRData',
        expected: 'xmlns,series,url,limit,offset,total,RaceTable',
        got: 'series,xmlns,url,limit,offset,total,RaceTable',
      },
    ]);
  });

  test('a number instead of a string', () => {
    const got = copy() as unknown as { MRData: Record<string, unknown> };
    got.MRData.limit = 30;
    expect(compare(got).structural).toEqual([
      { kind: 'type', path: 'MRData.limit', expected: 'string', got: 'number' },
    ]);
  });

  test('a non-string scalar on both sides is still a difference', () => {
    const diff = compareErgast({ a: 1 }, { a: 1 }, { request: '/x', rules: [] });
    expect(diff.structural).toEqual([{ kind: 'not a string', path: 'a', expected: '1', got: '1' }]);
  });

  test('a different row count', () => {
    const got = copy();
    firstRace(got).Results.pop();
    expect(compare(got).structural).toEqual([
      { kind: 'row count', path: 'MRData.RaceTable.Races[0].Results', expected: '2', got: '1' },
    ]);
  });

  test('an object where the recording has a list', () => {
    const got = copy() as unknown as { MRData: { RaceTable: Record<string, unknown> } };
    got.MRData.RaceTable.Races = {};
    expect(compare(got).structural).toEqual([
      { kind: 'type', path: 'MRData.RaceTable.Races', expected: 'array', got: 'object' },
    ]);
  });
});

describe('compareErgast: values and their classes', () => {
  test('environment: ergast.com url and xmlns against ours', () => {
    const got = copy();
    got.MRData.xmlns = '';
    got.MRData.url = 'http://localhost:3000/ergast/f1/2023/4/driverstandings.json';
    expect(compare(got).values.map((v) => [v.path, v.class])).toEqual([
      ['MRData.xmlns', 'environment'],
      ['MRData.url', 'environment'],
    ]);
  });

  test('an optional field the export lacks is data drift; a required one stays structural', () => {
    const withNumber = {
      Driver: { driverId: 'hamilton', permanentNumber: '44', givenName: 'Lewis' },
    };
    const diff = compareErgast(
      withNumber,
      { Driver: { driverId: 'hamilton', givenName: 'Lewis' } },
      { request: '/drivers/hamilton.json', rules: ERGAST_CONTRACT_RULES },
    );
    expect(diff).toEqual({
      structural: [],
      values: [
        {
          path: 'Driver.permanentNumber',
          expected: '44',
          got: '(absent)',
          class: 'data drift',
          rule: 'an optional field the export has no value for (the live source has one)',
        },
      ],
    });
    const noName = compareErgast(
      withNumber,
      { Driver: { driverId: 'hamilton', permanentNumber: '44' } },
      { request: '/drivers/hamilton.json', rules: ERGAST_CONTRACT_RULES },
    );
    expect(noName.structural).toEqual([
      { kind: 'missing key', path: 'Driver.givenName', expected: 'givenName', got: '' },
    ]);
  });

  test('a url of another path is not environment', () => {
    const got = copy();
    got.MRData.url = 'http://localhost/ergast/f1/2023/5/driverstandings.json';
    expect(compare(got).values).toEqual([
      {
        path: 'MRData.url',
        expected: recorded.MRData.url,
        got: got.MRData.url,
        class: null,
        rule: null,
      },
    ]);
  });

  test('data drift: a status text; points are never drift', () => {
    const got = copy();
    const second = firstRace(got).Results[1] ?? { status: '', points: '' };
    second.status = 'Lapped';
    second.points = '19';
    expect(compare(got).values.map((v) => [v.path, v.class])).toEqual([
      ['MRData.RaceTable.Races[0].Results[1].status', 'data drift'],
      ['MRData.RaceTable.Races[0].Results[1].points', null],
    ]);
  });

  test('laps: total and row counts are data not in the export, only for laps requests', () => {
    const got = copy();
    got.MRData.total = '1';
    firstRace(got).Results.pop();
    const laps = compareErgast(
      { ...recorded, MRData: { ...recorded.MRData, RaceTable: { Races: [{ Laps: [1, 2] }] } } },
      { ...got, MRData: { ...got.MRData, RaceTable: { Races: [{ Laps: [1] }] } } },
      { request: '/2023/1/laps.json', rules: ERGAST_CONTRACT_RULES },
    );
    expect(laps.values.map((v) => [v.path, v.class])).toEqual([
      ['MRData.total', 'data not in the export'],
      ['MRData.RaceTable.Races[0].Laps.length', 'data not in the export'],
    ]);
    expect(laps.structural.map((d) => d.kind)).toEqual(['not a string']);
    expect(compare(got).structural.map((d) => d.kind)).toEqual(['row count']);
    expect(compare(got).values.map((v) => v.class)).toEqual([null]);
  });
});

describe('data drift rules check the rest of the answer', () => {
  const seasons = (years: number[], xmlns = '') => ({
    MRData: {
      xmlns,
      total: String(years.length),
      SeasonTable: { Seasons: years.map((y) => ({ season: String(y) })) },
    },
  });
  test('seasons: only the 2025 rows the export cannot have', () => {
    const request = '/drivers/russell/seasons.json';
    const ok = compareErgast(seasons([2023, 2024, 2025]), seasons([2023, 2024]), {
      request,
      rules: ERGAST_CONTRACT_RULES,
    });
    expect(ok.structural).toEqual([]);
    expect(ok.values.map((v) => v.class)).toEqual(['data drift', 'data drift']);
    const missing2023 = compareErgast(seasons([2023, 2024, 2025]), seasons([2024]), {
      request,
      rules: ERGAST_CONTRACT_RULES,
    });
    expect(missing2023.structural.map((d) => d.kind)).toEqual(['row count']);
  });

  test("status: Jolpica's vocabulary only when the counts add up to the same results", () => {
    const status = (counts: number[]) => ({
      MRData: {
        xmlns: '',
        total: String(counts.length),
        StatusTable: { Status: counts.map((c) => ({ count: String(c) })) },
      },
    });
    const request = '/2023/status.json';
    const rules = ERGAST_CONTRACT_RULES;
    const same = compareErgast(status([30, 10]), status([30, 6, 4]), { request, rules });
    expect(same.structural).toEqual([]);
    expect(same.values.every((v) => v.class === 'data drift')).toBe(true);
    const lost = compareErgast(status([30, 10]), status([30, 6]), { request, rules });
    expect(lost.values.map((v) => v.class)).toEqual([null]);
  });
});

describe('helpers', () => {
  test('fixtureRequest decodes the file name', () => {
    expect(fixtureRequest('laps/2023@18@laps.json^offset=45')).toBe('/2023/18/laps.json?offset=45');
    expect(fixtureRequest('races/2023.json')).toBe('/2023.json');
  });

  test('requestEndpoint', () => {
    expect(requestEndpoint('/2023/10/laps/1.json')).toBe('laps');
    expect(requestEndpoint('/2023/10/laps/7/pitstops.json')).toBe('pitstops');
    expect(requestEndpoint('/2023/18/laps.json?offset=45')).toBe('laps');
    expect(requestEndpoint('/2023/5.json')).toBe('races');
    expect(requestEndpoint('/2023/last.json')).toBe('races');
    expect(requestEndpoint('/2023.json')).toBe('races');
  });

  test('lapTimeMillis', () => {
    expect(lapTimeMillis('1:42.929')).toBe(102_929);
    expect(lapTimeMillis('59.001')).toBe(59_001);
    expect(() => lapTimeMillis('1:42')).toThrow('not a lap time');
  });

  test('jsonType refuses what JSON cannot hold', () => {
    expect(jsonType([])).toBe('array');
    expect(() => jsonType(undefined)).toThrow('not a JSON value');
  });

  test('checkFixture: a non-200 answer is one structural difference; the summary counts it', async () => {
    const check = await checkFixture({
      file: 'races/2023.json',
      recorded,
      fetchPath: async (path) => Response.json({ code: 'NOT_FOUND', path }, { status: 404 }),
      rules: ERGAST_CONTRACT_RULES,
    });
    expect(check.status).toBe(404);
    expect(check.structural[0]?.got).toContain('/ergast/f1/2023.json');
    const ok = await checkFixture({
      file: 'races/2023.json',
      recorded,
      fetchPath: async () => Response.json({ ...copy(), MRData: { ...copy().MRData, xmlns: '' } }),
      rules: ERGAST_CONTRACT_RULES,
    });
    expect(ok.structural).toEqual([]);
    const summary = contractSummary([check, ok]);
    expect(summary).toMatch(/files compared\s+2/);
    expect(summary).toMatch(/structural differences\s+1\n/);
    expect(summary).toMatch(/environment\s+1/);
  });
});

describe('2023 drift rules: each fires on its difference and not on a look-alike', () => {
  const entry = (over: Record<string, unknown>) => ({
    position: '12',
    positionText: '12',
    Driver: { driverId: 'sargeant' },
    status: 'Lapped',
    ...over,
  });
  const body = (rows: unknown[], list = 'Results', xmlns = '') => ({
    MRData: {
      xmlns,
      total: '1',
      RaceTable: { Races: [{ season: '2023', round: '1', [list]: rows }] },
    },
  });
  const classes = (rec: unknown, got: unknown, request = '/2023/1/results.json') => {
    const c = compareErgast(rec, got, { request, rules: ERGAST_CONTRACT_RULES });
    return { structural: c.structural.length, rules: c.values.map((v) => v.rule) };
  };

  test('Q3 "": only an empty recorded part of the same driver', () => {
    const q = (Q3?: string) => ({
      position: '10',
      Driver: { driverId: 'hulkenberg' },
      Q1: '1:31.204',
      ...(Q3 === undefined ? {} : { Q3 }),
    });
    const req = '/2023/qualifying.json';
    expect(
      classes(body([q('')], 'QualifyingResults'), body([q()], 'QualifyingResults'), req).structural,
    ).toBe(0);
    expect(
      classes(body([q('1:30.1')], 'QualifyingResults'), body([q()], 'QualifyingResults'), req)
        .structural,
    ).toBe(1);
  });

  test('a lapped finisher’s Time: only "Lapped" against "+n Lap"', () => {
    const withTime = entry({ Time: { millis: '1', time: '+1.136' } });
    expect(classes(body([withTime]), body([entry({ status: '+1 Lap' })])).structural).toBe(0);
    expect(classes(body([withTime]), body([entry({ status: 'Finished' })])).structural).toBe(1);
    expect(
      classes(body([{ ...withTime, status: 'Finished' }]), body([entry({ status: 'Finished' })]))
        .structural,
    ).toBe(1);
  });

  test('grid of a pit-lane starter: 0 against a slot, never another number', () => {
    expect(classes(body([entry({ grid: '20' })]), body([entry({ grid: '0' })])).rules[0]).toContain(
      'pit-lane',
    );
    expect(
      classes(body([entry({ grid: '20' })]), body([entry({ grid: '19' })])).rules[0],
    ).toBeNull();
  });

  test('a classified disqualification: "20"/Time only when both say Disqualified', () => {
    const rec = entry({
      position: '20',
      positionText: '20',
      status: 'Disqualified',
      Time: { millis: '1', time: '+1' },
    });
    const ours = entry({ position: '20', positionText: 'D', status: 'Disqualified' });
    expect(classes(body([rec]), body([ours]))).toEqual({
      structural: 0,
      rules: [expect.stringContaining('disqualified'), expect.stringContaining('disqualified')],
    });
    expect(
      classes(body([{ ...rec, status: 'Retired' }]), body([{ ...ours, status: 'Retired' }]))
        .structural,
    ).toBe(1);
  });

  test('sprint FastestLap.rank: only under SprintResults with the same lap', () => {
    const s = (FastestLap: unknown) => entry({ FastestLap });
    const rec = s({ rank: '12', lap: '19' });
    expect(
      classes(body([rec], 'SprintResults'), body([s({ lap: '19' })], 'SprintResults')).structural,
    ).toBe(0);
    expect(
      classes(body([rec], 'SprintResults'), body([s({ lap: '18' })], 'SprintResults')).structural,
    ).toBe(1);
    expect(classes(body([rec]), body([s({ lap: '19' })])).structural).toBe(1);
  });

  test('W/R: only with the same status and no lap', () => {
    const rec = entry({ positionText: 'R', status: 'Accident', laps: '0' });
    expect(classes(body([rec]), body([{ ...rec, positionText: 'W' }])).rules[0]).toContain('W/R');
    expect(
      classes(body([rec]), body([{ ...rec, positionText: 'W', status: 'Withdrew' }])).rules[0],
    ).toBeNull();
  });

  test('2023 status/1 total: exactly 316 against 304, on that request', () => {
    const t = (total: string) => ({ MRData: { xmlns: '', total } });
    expect(classes(t('316'), t('304'), '/2023/status/1/results.json').rules[0]).toContain('316');
    expect(classes(t('316'), t('303'), '/2023/status/1/results.json').rules[0]).toBeNull();
    expect(classes(t('316'), t('304'), '/2022/status/1/results.json').rules[0]).toBeNull();
  });

  test('2023 results/20 drivers: only Leclerc missing', () => {
    const d = (ids: string[]) => ({
      MRData: {
        xmlns: '',
        total: String(ids.length),
        DriverTable: { Drivers: ids.map((driverId) => ({ driverId })) },
      },
    });
    const req = '/2023/results/20/drivers.json';
    expect(classes(d(['leclerc', 'sargeant']), d(['sargeant']), req).structural).toBe(0);
    expect(classes(d(['norris', 'sargeant']), d(['sargeant']), req).structural).toBe(1);
  });

  test('2023/18 pit stops: only within the duplicated Leclerc/Ricciardo pair', () => {
    const stop = (driverId: string, lap: string, time: string) => ({
      driverId,
      lap,
      stop: '1',
      time,
      duration: '23.963',
    });
    const pits = (rows: unknown[]) => body(rows, 'PitStops');
    const req = '/2023/18/pitstops.json';
    const rec = pits([stop('ricciardo', '22', '14:41:51'), stop('leclerc', '23', '14:43:10')]);
    const ours = pits([stop('leclerc', '23', '14:43:10'), stop('ricciardo', '23', '14:43:10')]);
    expect(classes(rec, ours, req).rules.every((r) => r?.includes('duplicates'))).toBe(true);
    const wrong = pits([stop('leclerc', '23', '14:43:10'), stop('ricciardo', '24', '14:43:10')]);
    expect(classes(rec, wrong, req).rules).toContain(null);
  });

  test('2023 qualifying/1: only the three named extra rows', () => {
    const q = (round: string, ids: string[]) => ({
      season: '2023',
      round,
      QualifyingResults: ids.map((driverId) => ({ Driver: { driverId } })),
    });
    const page = (total: string, races: unknown[]) => ({
      MRData: { xmlns: '', total, RaceTable: { Races: races } },
    });
    const req = '/2023/qualifying/1.json';
    const rec = page('41', [q('13', ['max_verstappen']), q('14', ['sainz'])]);
    const ours = page('44', [q('13', ['max_verstappen', 'albon'])]);
    expect(classes(rec, ours, req).structural).toBe(0);
    const other = page('44', [q('13', ['max_verstappen', 'norris'])]);
    expect(classes(rec, other, req).structural).toBeGreaterThan(0);
  });
});
