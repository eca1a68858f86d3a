/**
 * Ergast clients against our facade, from outside: tests/python/ergast_clients.py (Python standard
 * library only) emulates FastF1's `fastf1.ergast` (BASE_URL = `{server}/ergast/f1`, its URL shapes,
 * its paging rule) and ergast-py (ergast.com hard-coded, `requests.get` wrapped to rewrite it to
 * `{server}/api/f1`, the README's snippet) against a live server process on the export's 2022 and
 * 2023 seasons (loaded as the contract test does: results, standings, pit stops from pit_stops.csv,
 * the recorded lap timings; 2022 only so that a driver's seasons list has two). The report's numbers
 * are checked here against the export's CSV files and known facts: rows per race after paging at 100,
 * 30 and 1000 (clamped), totals, the champion's 575 points, the unknown round, the 400 bodies.
 * Needs python3 and ../shared/data; skipped with a printed reason otherwise.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import { readCsvFile } from '@f1/jobs/sources/csv-export/parse-csv';
import { loadContractData } from '@f1/testkit/ergast-contract-data';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { ROOT, run } from '@f1/testkit/processes';
import { findSharedDataDir, SHARED_DATA_MISSING, sharedDataDir } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';

const SCRIPT = path.join(ROOT, 'tests/python/ergast_clients.py');
const SEASON = 2023;

describeWith(
  [
    needs.program('python3', ' (apt-get install python3)'),
    needs.that(findSharedDataDir() !== null, SHARED_DATA_MISSING),
  ],
  'Ergast clients (FastF1 and ergast-py shapes) against the facade',
  () => {
    let server: LiveServer;

    beforeAll(async () => {
      server = await startLiveServer({
        seed: async (database) => {
          await loadContractData(database.db, { seasons: [SEASON - 1, SEASON] });
        },
        // The script makes ~110 requests as fast as it can; the facade's per-second limit is not under test.
        env: { F1_ERGAST_FACADE_RATE_LIMIT: '100000' },
      });
    }, 180_000);
    afterAll(() => server?.stop());

    /** Rows per round of the season in the export's CSV files: what the answers must add up to. */
    function exportCounts(file: 'results.csv' | 'pit_stops.csv', season = SEASON) {
      const csvDir = path.join(sharedDataDir(), 'ergast-csv');
      const rounds = new Map(
        readCsvFile(path.join(csvDir, 'races.csv'))
          .filter((r) => Number(r.year) === season)
          .map((r) => [r.raceId ?? '', r.round ?? '']),
      );
      const rows = readCsvFile(path.join(csvDir, file));
      const counts: Record<string, number> = {};
      for (const row of rows) {
        const round = rounds.get(row.raceId ?? '');
        if (round !== undefined) counts[round] = (counts[round] ?? 0) + 1;
      }
      return { counts, rows, rounds };
    }

    test('FastF1 and ergast-py shapes: paging, standings, qualifying, seasons, laps, pit stops, errors', async () => {
      const result = await run(
        [Bun.which('python3') ?? 'python3', SCRIPT, server.url, '--season', String(SEASON)],
        { cwd: ROOT, timeoutMs: 120_000 },
      );
      if (result.code !== 0) throw new Error(`${result.stderr}\nserver:\n${server.logs()}`);
      const report = JSON.parse(result.stdout.trim()) as Report;
      const { fastf1, ergastPy } = report;
      console.warn(`ergast clients: ${report.requests} requests`);

      // Race results, paged by the FastF1 rule: every race complete, as in the export.
      const results = exportCounts('results.csv');
      const rowsPerRace = results.counts;
      const total = Object.values(rowsPerRace).reduce((a, b) => a + b, 0);
      expect(Object.keys(rowsPerRace)).toHaveLength(22);
      expect(total).toBe(440);
      const paging = Object.fromEntries(fastf1.seasonResults.map((p) => [p.requestedLimit, p]));
      for (const [requested, used] of [
        [100, 100],
        [30, 30],
        [1000, 100], // clamped: the next page follows MRData.limit
      ] as const) {
        const page = paging[requested];
        expect(page).toMatchObject({
          limits: [used],
          pages: Math.ceil(total / used),
          total,
          rows: total,
          races: 22,
          incompleteRaces: [],
        });
        expect(page?.rowsPerRace).toEqual(rowsPerRace);
      }
      // At 30 rows a page, 20-car races straddle pages and are merged back by (season, round).
      expect(paging[30]?.splitRaces).toBeGreaterThan(0);
      expect(paging[100]?.splitRaces).toBe(0);
      expect(Object.values(fastf1.winners).filter((d) => d === 'max_verstappen')).toHaveLength(19);
      expect(fastf1.winners['15']).toBe('sainz');
      expect(ergastPy.winners.total).toBe('22');
      expect(ergastPy.winners.byRound).toEqual(fastf1.winners);

      // Standings: the champion by position, from the last round.
      expect(fastf1.driverStandingsP1).toEqual({
        url: `${server.url}/ergast/f1/${SEASON}/22/driverstandings/1.json`,
        round: '22',
        rows: 1,
        driverId: 'max_verstappen',
        points: '575',
        wins: '19',
      });
      expect(fastf1.driverStandings.total).toBe(22);
      expect(fastf1.driverStandings.positions).toEqual(
        Array.from({ length: 22 }, (_, i) => String(i + 1)),
      );
      expect(ergastPy.driverStandingsP1).toEqual({ driverId: 'max_verstappen', points: '575' });
      expect(ergastPy.alonsoStanding).toEqual({ rows: 1, position: '4', points: '206' });

      // Qualifying by position: round 12 (Spa), Verstappen fastest (total "3", as the recorded answer says).
      expect(fastf1.qualifyingP1).toEqual({
        total: 3,
        round: '12',
        driverId: 'max_verstappen',
        position: '1',
      });
      expect(ergastPy.qualifyingP1).toBe('max_verstappen');

      // A driver's seasons, over the two seasons loaded.
      expect(fastf1.driverSeasons).toEqual({
        url: `${server.url}/ergast/f1/drivers/alonso/seasons.json`,
        seasons: [String(SEASON - 1), String(SEASON)],
      });
      expect(ergastPy.driverSeasons).toEqual([String(SEASON)]); // piastri's first season

      // Laps (the recorded timings: lap 1 of round 10, all 20 cars) and pit stops (the export's).
      const leader = { driverId: 'norris', position: '1', time: '1:36.551' };
      expect(fastf1.lap).toEqual({ total: 20, number: '1', timings: 20, leader });
      expect(ergastPy.lap).toEqual({ total: '1', timing: leader });
      const stops = exportCounts('pit_stops.csv');
      const round10 = [...stops.rounds].find(([, round]) => round === '10')?.[0];
      const secondStops = stops.rows.filter((r) => r.raceId === round10 && r.stop === '2');
      expect(fastf1.pitStopsNumber2).toEqual({ total: secondStops.length, stops: ['2'] });
      expect(secondStops.length).toBeGreaterThan(0);
      expect(ergastPy.pitStops.total).toBe(stops.counts['18'] ?? -1);
      expect(ergastPy.pitStops.pages).toEqual([30, (stops.counts['18'] ?? 0) - 30]);

      // An unknown round is an empty 200; bad input a 400 with a JSON body naming the segment.
      expect(fastf1.unknownRound).toEqual({ total: '0', races: 0 });
      expect(ergastPy.unknownRound).toEqual({ total: '0', races: 0 });
      expect(fastf1.badInput).toEqual([
        expect.objectContaining({
          path: `/${SEASON}/foo.json`,
          status: 400,
          json: true,
          code: 'BAD_REQUEST',
        }),
        expect.objectContaining({ status: 400, json: true, code: 'BAD_REQUEST' }),
        expect.objectContaining({ status: 400, json: true, code: 'BAD_REQUEST' }),
      ]);
      expect(fastf1.badInput[0]?.message).toContain('foo');
      expect(fastf1.badInput[1]?.message).toContain('limit');
      expect(fastf1.badInput[2]?.message).toContain('nope');
      expect(fastf1.clientRaised).toBe(400);
      expect(ergastPy.badInput).toEqual({ status: 400, code: 'BAD_REQUEST' });

      // ergast-py built every URL for ergast.com; the rewrite sent them all here (/api/f1).
      expect(ergastPy.allToErgastCom).toBe(true);
      expect(ergastPy.requestsMade).toBe(10);
      expect(ergastPy.urlsAsBuilt[0]).toBe(
        `https://ergast.com/api/f1/${SEASON}/22/driverStandings/1.json`,
      );
      expect(fastf1.baseUrl).toBe(`${server.url}/ergast/f1`);
    }, 150_000);

    test('HEAD over a real socket gives the GET’s Content-Length (facade and REST)', async () => {
      // In-process `app.handle` does not show what Bun.serve puts on the wire: this does.
      for (const path of [`/ergast/f1/${SEASON}/5/results.json`, '/api/v1/drivers']) {
        // The plain bytes, and the variant fetch asks for by default (br: fetch decodes it).
        for (const encoding of ['identity', 'gzip, deflate, br']) {
          const headers = { 'accept-encoding': encoding };
          const get = await fetch(`${server.url}${path}`, { headers });
          const bytes = (await get.arrayBuffer()).byteLength;
          const head = await fetch(`${server.url}${path}`, { method: 'HEAD', headers });
          expect([get.status, head.status]).toEqual([200, 200]);
          expect(bytes).toBeGreaterThan(0);
          expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
          expect(head.headers.get('content-encoding')).toBe(get.headers.get('content-encoding'));
          if (encoding === 'identity')
            expect(head.headers.get('content-length')).toBe(String(bytes));
        }
      }
    });

    test('the script fails, with the reason, when the server is not there', async () => {
      const result = await run(
        [
          Bun.which('python3') ?? 'python3',
          SCRIPT,
          'http://127.0.0.1:9',
          '--season',
          String(SEASON),
        ],
        { cwd: ROOT, timeoutMs: 60_000 },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: URLError');
    }, 60_000);
  },
);

interface PagingSummary {
  requestedLimit: number;
  limits: number[];
  pages: number;
  total: number;
  rows: number;
  races: number;
  splitRaces: number;
  rowsPerRace: Record<string, number>;
  incompleteRaces: string[];
}

interface BadInput {
  path: string;
  status: number;
  json: boolean;
  code: string | null;
  message: string | null;
}

/** The script's report (tests/python/ergast_clients.py). */
interface Report {
  requests: number;
  fastf1: {
    baseUrl: string;
    seasonResults: PagingSummary[];
    winners: Record<string, string>;
    driverStandingsP1: Record<string, unknown>;
    driverStandings: { total: number; positions: string[] };
    qualifyingP1: Record<string, unknown>;
    driverSeasons: { url: string; seasons: string[] };
    lap: Record<string, unknown>;
    pitStopsNumber2: { total: number; stops: string[] };
    unknownRound: { total: string; races: number };
    badInput: BadInput[];
    clientRaised: number | null;
  };
  ergastPy: {
    driverStandingsP1: Record<string, unknown>;
    alonsoStanding: Record<string, unknown>;
    qualifyingP1: string;
    driverSeasons: string[];
    winners: { total: string; byRound: Record<string, string> };
    lap: Record<string, unknown>;
    pitStops: { total: number; pages: number[] };
    unknownRound: { total: string; races: number };
    badInput: { status: number; code: string } | null;
    urlsAsBuilt: string[];
    requestsMade: number;
    allToErgastCom: boolean;
  };
}
