/**
 * Every read procedure on the 2023 season's real data, checked against the Ergast CSV export itself
 * (the oracle: its own standings tables, qualifying times as printed, classification order) rather
 * than against numbers this code produced.
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { expect, test } from 'bun:test';
import path from 'node:path';
import { type CsvRecord, readCsvFile } from '@f1/jobs/sources/csv-export/parse-csv';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { testApp, testClient, testServices } from '@f1/testkit/server';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';

const dataDir = findSharedDataDir();

if (!dataDir) {
  skipSuite('read API on the 2023 season', SHARED_DATA_MISSING);
} else {
  const csv = (name: string) => readCsvFile(path.join(dataDir, 'ergast-csv', `${name}.csv`));
  const byId = (rows: CsvRecord[], id: string) => new Map(rows.map((r) => [r[id] ?? '', r]));
  const races = csv('races').filter((r) => r.year === '2023');
  const raceId = (round: number) => races.find((r) => r.round === String(round))?.raceId ?? '';
  const drivers = byId(csv('drivers'), 'driverId');
  const teams = byId(csv('constructors'), 'constructorId');
  const ref = (row: CsvRecord) => drivers.get(row.driverId ?? '')?.driverRef;
  const inRace = (rows: CsvRecord[], round: number) =>
    rows.filter((r) => r.raceId === raceId(round));
  const order = (rows: CsvRecord[], field: string) =>
    [...rows].sort((a, b) => Number(a[field]) - Number(b[field]));

  describeEachBackend('read API on the 2023 season', (database) => {
    const call = () => callerFor(testServices({ database: database() }));

    test('standings.drivers after round 22: Verstappen 575, Alonso ahead of Leclerc on 206', async () => {
      await loadCsvSeasons(database().db, { seasons: [2023] });
      const standings = await call().standings.drivers({ season: 2023, round: 22 });
      const rows = standings.rows;
      expect([rows[0]?.driver.driverId, rows[0]?.points, rows[0]?.wins]).toEqual([
        'max_verstappen',
        575,
        19,
      ]);
      const tied = rows.filter((r) => r.points === 206).map((r) => [r.position, r.driver.code]);
      expect(tied).toEqual([
        [4, 'ALO'],
        [5, 'LEC'],
      ]);
      const official = order(inRace(csv('driver_standings'), 22), 'position');
      expect(rows.map((r): unknown[] => [r.position, r.driver.driverId, r.points, r.wins])).toEqual(
        official.map((o) => [Number(o.position), ref(o), Number(o.points), Number(o.wins)]),
      );
      expect((await call().standings.drivers({ season: 2023 })).round).toBe(22);
    });

    test('standings.constructors after round 22 equal the export’s table', async () => {
      const standings = await call().standings.constructors({ season: 2023 });
      const official = order(inRace(csv('constructor_standings'), 22), 'position');
      expect(
        standings.rows.map((r): unknown[] => [r.position, r.team.teamId, r.points, r.wins]),
      ).toEqual(
        official.map((o) => [
          Number(o.position),
          teams.get(o.constructorId ?? '')?.constructorRef,
          Number(o.points),
          Number(o.wins),
        ]),
      );
      expect(standings.rows[0]).toMatchObject({ points: 860, team: { teamId: 'red_bull' } });
    });

    test('races.calendar: 22 rounds with names, days and UTC start times from the export', async () => {
      const calendar = await call().races.calendar({ season: 2023 });
      expect(calendar.map((r): unknown[] => [r.round, r.name, r.date])).toEqual(
        order(races, 'round').map((r) => [Number(r.round), r.name, r.date]),
      );
      const bahrain = calendar[0];
      expect(bahrain?.startsAt).toEqual(new Date('2023-03-05T15:00:00Z'));
      expect(bahrain?.circuit.circuitId).toBe('bahrain');
      expect(bahrain?.sessions.map((s) => s.kind)).toEqual(['fp1', 'fp2', 'fp3', 'qualifying']);
      expect(bahrain?.sessions[3]?.startsAt).toEqual(new Date('2023-03-04T15:00:00Z'));
      const baku = await call().races.get({ season: 2023, round: 4 });
      expect(baku.name).toBe('Azerbaijan Grand Prix');
      expect(baku.sessions.some((s) => s.kind === 'sprint')).toBe(true);
    });

    test('races.results: the classification of round 1 in the export’s order', async () => {
      const results = await call().races.results({ season: 2023, round: 1 });
      const official = order(inRace(csv('results'), 1), 'positionOrder');
      expect(
        results.rows.map((r): unknown[] => [r.driver.driverId, r.points, r.grid, r.laps]),
      ).toEqual(official.map((o) => [ref(o), Number(o.points), Number(o.grid), Number(o.laps)]));
      expect(results.rows[0]).toMatchObject({
        position: 1,
        driver: { code: 'VER' },
        team: { teamId: 'red_bull' },
        time: { text: '1:33:56.736' },
      });
      expect(results.rows[0]?.fastestLap?.time?.text).toBe(
        official[0]?.fastestLapTime ?? 'missing',
      );
    });

    test('races.qualifying: times print exactly as the export has them', async () => {
      const q = await call().races.qualifying({ season: 2023, round: 1 });
      const official = order(inRace(csv('qualifying'), 1), 'position');
      expect(
        q.rows.map((r): unknown[] => [r.position, r.driver.driverId, r.q1?.text ?? null]),
      ).toEqual(official.map((o) => [Number(o.position), ref(o), o.q1]));
      expect(q.rows.map((r): unknown => r.q3?.text ?? null)).toEqual(
        official.map((o): unknown => o.q3),
      );
    });

    test('races.sprint: Baku’s sprint; a weekend without one is empty', async () => {
      const sprint = await call().races.sprint({ season: 2023, round: 4 });
      const official = order(inRace(csv('sprint_results'), 4), 'positionOrder');
      expect(sprint.rows.map((r): unknown[] => [r.driver.driverId, r.points])).toEqual(
        official.map((o) => [ref(o), Number(o.points)]),
      );
      expect(sprint.rows[0]?.driver.driverId).toBe('perez');
      expect((await call().races.sprint({ season: 2023, round: 1 })).rows).toEqual([]);
    });

    test('races.weather (none in the export), races.last and races.next', async () => {
      const weather = await call().races.weather({ season: 2023, round: 22 });
      expect([weather.raceName, weather.observations]).toEqual(['Abu Dhabi Grand Prix', []]);
      const last = await call().races.last();
      expect([last?.season, last?.round]).toEqual([2023, 22]);
      expect(await call().races.next()).toBeNull(); // only 2023 is loaded, all of it past
    });

    test('drivers: the 2023 field, Verstappen’s record, his season results', async () => {
      const field = await call().drivers.list({ season: 2023, limit: 100 });
      const entered = new Set<unknown>(
        csv('results')
          .filter((r) => races.some((race) => race.raceId === r.raceId))
          .map((r) => ref(r)),
      );
      expect(new Set<unknown>(field.items.map((d) => d.driverId))).toEqual(entered);
      expect(await call().drivers.get({ driverId: 'max_verstappen' })).toMatchObject({
        code: 'VER',
        permanentNumber: 33,
        givenName: 'Max',
        familyName: 'Verstappen',
        dateOfBirth: '1997-09-30',
        nationality: 'Dutch',
      });
      const results = await call().drivers.results({ driverId: 'max_verstappen', season: 2023 });
      expect(results.items.length).toBe(22);
      expect(results.items.filter((r) => r.position === 1).length).toBe(19);
    });

    test('teams and circuits of the season', async () => {
      const entered = await call().teams.list({ season: 2023 });
      expect(entered.items.length).toBe(10);
      expect(await call().teams.get({ teamId: 'red_bull' })).toMatchObject({ name: 'Red Bull' });
      const monza = await call().circuits.get({ circuitId: 'monza' });
      expect([monza.country, monza.locality]).toEqual(['Italy', 'Monza']);
    });

    test('over HTTP the same standings arrive through the tRPC client', async () => {
      const client = testClient(testApp(testServices({ database: database() })));
      const standings = await client.standings.drivers.query({ season: 2023, round: 22 });
      expect(standings.rows.slice(0, 5).map((r) => r.driver.code)).toEqual([
        'VER',
        'PER',
        'HAM',
        'ALO',
        'LEC',
      ]);
    });
  });
}
