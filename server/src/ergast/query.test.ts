import { describe, expect, test } from 'bun:test';
import { ErgastPathError, parseErgastPaging, parseErgastPath } from './query.ts';

describe('parseErgastPath', () => {
  test.each([
    ['/2023.json', { season: 2023, round: null, filters: {}, endpoint: 'races' }],
    ['/2023/5/', { season: 2023, round: 5, filters: {}, endpoint: 'races' }],
    [
      '/current/last/results.json',
      { season: 'current', round: 'last', filters: {}, endpoint: 'results' },
    ],
    ['/2023/next', { season: 2023, round: 'next', filters: {}, endpoint: 'races' }],
    ['/seasons.json', { season: null, round: null, filters: {}, endpoint: 'seasons' }],
    [
      '/2023/grid/12/circuits/bahrain/qualifying/12.json',
      {
        season: 2023,
        round: null,
        filters: { grid: 12, circuitId: 'bahrain', qualifyingPosition: 12 },
        endpoint: 'qualifying',
      },
    ],
    [
      '/2023/10/laps/7/pitstops.json',
      { season: 2023, round: 10, filters: { lap: 7 }, endpoint: 'pitstops' },
    ],
    [
      '/2023/results/2.json',
      { season: 2023, round: null, filters: { position: 2 }, endpoint: 'results' },
    ],
    [
      '/constructors/brawn/results',
      { season: null, round: null, filters: { constructorId: 'brawn' }, endpoint: 'results' },
    ],
    [
      '/circuits/monaco.json',
      { season: null, round: null, filters: { circuitId: 'monaco' }, endpoint: 'circuits' },
    ],
  ])('%s', (path, expected) => {
    expect(parseErgastPath(path)).toEqual(expected as never);
  });

  test('segments compare case-insensitively; ids keep their case', () => {
    expect(parseErgastPath('/2023/5/DriverStandings.json').endpoint).toBe('driverstandings');
    expect(parseErgastPath('/CURRENT/LAST/Drivers/Max_Verstappen/RESULTS')).toEqual({
      season: 'current',
      round: 'last',
      filters: { driverId: 'Max_Verstappen' },
      endpoint: 'results',
    });
    expect(parseErgastPath('/2023/5/results.JSON').endpoint).toBe('results');
  });

  test('a number filter up to 32767 (the stored smallint) is a filter; 32768 is named out of range', () => {
    expect(parseErgastPath('/2023/grid/32767/results.json').filters).toEqual({ grid: 32767 });
    for (const [path, field] of [
      ['/2023/results/32768.json', 'results'],
      ['/2023/grid/40000/results.json', 'grid'],
      ['/2023/fastest/999999/results.json', 'fastest'],
      ['/2023/5/pitstops/32768.json', 'pitstops'],
      ['/grid/65536/drivers.json', 'grid'],
    ] as const) {
      expect(() => parseErgastPath(path)).toThrow(`${field}: `);
      expect(() => parseErgastPath(path)).toThrow('out of range (0–32767)');
    }
  });

  test.each([
    ['/2023/bogus.json', 'endpoint'],
    ['/2023/nofilter/3/results.json', 'filter'],
    ['/2023/grid/one/results.json', 'grid'],
    ['/2023/grid/01/results.json', 'grid'],
    ['/2023/drivers/bad%20id/results.json', 'drivers'],
    ['/2023/grid/1/grid/2/results.json', 'grid'],
    ['/2023/grid/1.json', 'endpoint'],
    ['/', 'endpoint'],
    ['', 'endpoint'],
  ])('%s → ErgastPathError on %s', (path, field) => {
    let error: unknown;
    try {
      parseErgastPath(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ErgastPathError);
    expect((error as ErgastPathError).field).toBe(field);
  });
});

describe('parseErgastPaging', () => {
  const paging = (query: string) => parseErgastPaging(new URLSearchParams(query));

  test('defaults to 30 from 0; limit=0 is the default (as at Jolpica); clamps the limit to 100', () => {
    expect(paging('')).toEqual({ limit: 30, offset: 0 });
    expect(paging('limit=1000&offset=40')).toEqual({ limit: 100, offset: 40 });
    expect(paging('limit=0')).toEqual({ limit: 30, offset: 0 });
    expect(paging('limit=1')).toEqual({ limit: 1, offset: 0 });
    expect(paging('limit=&offset=')).toEqual({ limit: 30, offset: 0 });
    expect(paging('limit=10000000000')).toEqual({ limit: 100, offset: 0 });
    expect(paging('offset=999999999')).toEqual({ limit: 30, offset: 999_999_999 });
  });

  test.each([
    'limit=-1',
    'limit=ten',
    'offset=1.5',
    'offset=1e3',
    'offset=1000000000',
    'limit=1e309',
  ])('%s → 400', (query) => {
    expect(() => paging(query)).toThrow(ErgastPathError);
  });
});
