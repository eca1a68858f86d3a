import { expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DB } from '@f1/db/schema';
import { seasonStandings } from '@f1/db/standings/refresh';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import type { Kysely } from 'kysely';
import { compareStandings } from '../../validate/compare-standings.ts';
import { readCsvFinalStandings } from '../../validate/csv-standings.ts';
import { importCsv } from './import.ts';

function editedCopy(edits: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'export-'));
  cpSync(MINI_EXPORT_DIR, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  }
  return dir;
}

const resultsOf = (db: Kysely<DB>, season: number, round: number) =>
  db
    .selectFrom('race_results as r')
    .innerJoin('races as ra', 'ra.id', 'r.race_id')
    .innerJoin('drivers as d', 'd.id', 'r.driver_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select(['d.driver_ref', 'r.entry', 't.team_ref', 'r.position', 'r.position_text', 'r.points'])
    .where('ra.season', '=', season)
    .where('ra.round', '=', round)
    .orderBy('r.position_order')
    .execute();

const seasonPages = (db: Kysely<DB>) =>
  db.selectFrom('seasons').select(['year', 'url']).orderBy('year').execute();

async function tableCounts(db: Kysely<DB>) {
  const count = async (table: keyof DB) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    races: await count('races'),
    race_results: await count('race_results'),
    sprint_results: await count('sprint_results'),
    qualifying_results: await count('qualifying_results'),
    race_sessions: await count('race_sessions'),
  };
}

describeEachBackend('import-csv', (database) => {
  test('loads the export: every table, refs resolved, shared drives as entries', async () => {
    const db = database().db;
    const result = await importCsv(db, { dirs: [MINI_EXPORT_DIR] });
    expect(result.tables.circuits).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 0 });
    expect(result.tables.drivers.created).toBe(6);
    expect(result.tables.races.created).toBe(4);
    expect(result.tables.race_results.created).toBe(11);
    expect(result.tables.sprint_results.created).toBe(4);
    expect(result.tables.qualifying_results.created).toBe(4);
    expect(result.tables.race_sessions.created).toBe(7);
    expect(result.tables.seasons).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 0 });
    expect(result.totals.updated + result.totals.deleted + result.totals.unchanged).toBe(0);
    expect(result.changedRaces.map((r) => [r.season, r.round])).toEqual([
      [1955, 1],
      [2021, 1],
      [2021, 2],
    ]);
    expect(result.changedSeasons).toEqual([1955, 2021]);

    expect(await resultsOf(db, 2021, 2)).toEqual([
      {
        driver_ref: 'driver_b',
        entry: 1,
        team_ref: 'team_one',
        position: 1,
        position_text: '1',
        points: 12.5,
      },
      {
        driver_ref: 'driver_c',
        entry: 1,
        team_ref: 'team_two',
        position: 2,
        position_text: '2',
        points: 9,
      },
      {
        driver_ref: 'driver_a',
        entry: 1,
        team_ref: 'team_one',
        position: 3,
        position_text: '3',
        points: 7.5,
      },
      {
        driver_ref: 'driver_d',
        entry: 1,
        team_ref: 'team_two',
        position: 4,
        position_text: '4',
        points: 6,
      },
    ]);
    expect((await resultsOf(db, 1955, 1)).map((r) => [r.driver_ref, r.entry, r.points])).toEqual([
      ['driver_f', 1, 8],
      ['driver_e', 1, 3],
      ['driver_e', 2, 1],
    ]);
    expect(await seasonPages(db)).toEqual([
      { year: 1955, url: 'http://example.org/1955_season' },
      { year: 2021, url: 'http://example.org/2021_season' },
    ]);
    const race = await db
      .selectFrom('races')
      .select(['name', 'date', 'starts_at'])
      .where('season', '=', 2021)
      .where('round', '=', 1)
      .executeTakeFirstOrThrow();
    expect(race).toEqual({
      name: 'First Grand Prix',
      date: '2021-04-04',
      starts_at: new Date('2021-04-04T13:00:00Z'),
    });
  });

  test('standings after the import equal the export’s (hand-computed) standings', async () => {
    const db = database().db;
    await refreshStandings(db);
    const official = readCsvFinalStandings(MINI_EXPORT_DIR);
    for (const season of [2021, 1955]) {
      const ours = await seasonStandings(db, { season });
      const theirs = official.get(season);
      expect(theirs).toBeDefined();
      expect(compareStandings('drivers', ours.drivers, theirs?.drivers ?? [])).toEqual([]);
      if (season === 2021) {
        expect(
          compareStandings('constructors', ours.constructors, theirs?.constructors ?? []),
        ).toEqual([]);
      }
    }
    // Round 1 only: driver_d retired with no points but still ranks.
    const afterRound1 = await seasonStandings(db, { season: 2021, round: 1 });
    expect(afterRound1.drivers.map((d) => [d.ref, d.points])).toEqual([
      ['driver_a', 26],
      ['driver_b', 18],
      ['driver_c', 15],
      ['driver_d', 0],
    ]);
    expect(await seasonStandings(db, { season: 1999 })).toEqual({
      season: 1999,
      round: null,
      drivers: [],
      constructors: [],
    });
  });

  test('a second identical import writes nothing', async () => {
    const db = database().db;
    const before = await db
      .selectFrom('drivers')
      .select(['driver_ref', 'updated_at'])
      .orderBy('id')
      .execute();
    const again = await importCsv(db, { dirs: [MINI_EXPORT_DIR] });
    expect(again.totals).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: again.rows });
    expect(again.rows).toBe(217); // 41 results and reference rows, 165 laps, 6 pit stops, 3 statuses, 2 season pages
    expect(again.tables.seasons).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    expect(again.changedRaces).toEqual([]);
    expect(again.changedSeasons).toEqual([]);
    expect(
      await db.selectFrom('drivers').select(['driver_ref', 'updated_at']).orderBy('id').execute(),
    ).toEqual(before);
  });

  test('a revised export (disqualification, vanished row) makes the race equal the export', async () => {
    const db = database().db;
    const revised = editedCopy({
      // driver_b disqualified from round 2: not classified, no points; driver_d's entry vanished.
      'results.csv': (t) =>
        t
          .replace('9005,502,102,31,22,1,1,"1",1,12.5', '9005,502,102,31,22,1,\\N,"D",4,0')
          .replace('9006,502,103,32,33,2,2,"2",2,9', '9006,502,103,32,33,2,1,"1",1,12.5')
          .replace(/9008,502,104.*\n/, ''),
      'drivers.csv': (t) => t.replace('"Ann"', '"Anne"'),
    });
    const result = await importCsv(db, { dirs: [revised] });
    expect(result.tables.race_results).toEqual({
      created: 0,
      updated: 2,
      deleted: 1,
      unchanged: 8,
    });
    expect(result.tables.drivers).toEqual({ created: 0, updated: 1, deleted: 0, unchanged: 5 });
    expect(result.changedRaces.map((r) => [r.season, r.round])).toEqual([[2021, 2]]);
    expect(await resultsOf(db, 2021, 2)).toEqual([
      {
        driver_ref: 'driver_c',
        entry: 1,
        team_ref: 'team_two',
        position: 1,
        position_text: '1',
        points: 12.5,
      },
      {
        driver_ref: 'driver_a',
        entry: 1,
        team_ref: 'team_one',
        position: 3,
        position_text: '3',
        points: 7.5,
      },
      {
        driver_ref: 'driver_b',
        entry: 1,
        team_ref: 'team_one',
        position: null,
        position_text: 'D',
        points: 0,
      },
    ]);
    const anne = await db
      .selectFrom('drivers')
      .select('given_name')
      .where('driver_ref', '=', 'driver_a')
      .executeTakeFirstOrThrow();
    expect(anne.given_name).toBe('Anne');
  });

  test('later folders override earlier ones race by race', async () => {
    const db = database().db;
    const later = editedCopy({
      'results.csv': (t) =>
        t
          .split('\n')
          .filter((line) => !line.startsWith('900') || line.startsWith('9001'))
          .join('\n'),
    });
    // The later export speaks only for 2021 round 1 (one row): the other races keep the first export's rows.
    const result = await importCsv(db, { dirs: [MINI_EXPORT_DIR, later] });
    expect(result.tables.race_results.deleted).toBe(3);
    expect((await resultsOf(db, 2021, 1)).map((r) => r.driver_ref)).toEqual(['driver_a']);
    expect((await resultsOf(db, 2021, 2)).length).toBe(4);
    expect((await resultsOf(db, 1955, 1)).length).toBe(3);
  });

  test('season pages: a revised url is updated, an export without seasons.csv keeps them', async () => {
    const db = database().db;
    const revised = editedCopy({
      'seasons.csv': (t) => t.replace('2021_season', '2021_championship'),
    });
    const result = await importCsv(db, { dirs: [revised] });
    expect(result.tables.seasons).toEqual({ created: 0, updated: 1, deleted: 0, unchanged: 1 });
    expect(result.changedSeasons).toEqual([2021]);
    expect(result.pendingMarks).toBe(1);

    // Layered over an export that has no seasons.csv (like ergast-csv-2025): nothing to say, nothing lost.
    const bare = editedCopy({});
    rmSync(path.join(bare, 'seasons.csv'));
    const layered = await importCsv(db, { dirs: [revised, bare] });
    expect(layered.tables.seasons).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    const alone = await importCsv(db, { dirs: [bare] });
    expect(alone.tables.seasons).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
    expect(await seasonPages(db)).toEqual([
      { year: 1955, url: 'http://example.org/1955_season' },
      { year: 2021, url: 'http://example.org/2021_championship' },
    ]);

    // A read of some seasons writes only their pages.
    await db.deleteFrom('seasons').execute();
    const some = await importCsv(db, { dirs: [MINI_EXPORT_DIR], seasons: [1955] });
    expect(some.tables.seasons.created).toBe(1);
    expect((await seasonPages(db)).map((s) => s.year)).toEqual([1955]);
    await importCsv(db, { dirs: [MINI_EXPORT_DIR] });
  });

  test('a failing import rolls back whole', async () => {
    const db = database().db;
    const before = await tableCounts(db);
    const broken = editedCopy({
      // A negative grid violates a CHECK constraint in the last table written.
      'qualifying.csv': (t) => t.replace('4,501,104,32,44,4', '4,501,104,32,-44,4'),
      'races.csv': (t) => t.replace('"Third Grand Prix"', '"Renamed Grand Prix"'),
    });
    await expect(importCsv(db, { dirs: [broken] })).rejects.toThrow();
    expect(await tableCounts(db)).toEqual(before);
    const third = await db
      .selectFrom('races')
      .select('name')
      .where('season', '=', 2021)
      .where('round', '=', 3)
      .executeTakeFirstOrThrow();
    expect(third.name).toBe('Third Grand Prix');
    await expect(importCsv(db, { dirs: [] })).rejects.toThrow('no export folder given');
  });
});

describeEachBackend('import-csv: lap timings, pit stops and status ids', (database) => {
  test('lap_times.csv and pit_stops.csv are imported; status.csv ids are kept', async () => {
    const db = database().db;
    const report = await importCsv(db, { dirs: [MINI_EXPORT_DIR] });
    expect(report.tables.lap_times.created).toBe(165);
    expect(report.tables.pit_stops.created).toBe(6);
    expect(report.timingRaces).toEqual([
      { season: 2021, round: 1 },
      { season: 2021, round: 2 },
    ]);
    const laps = await db
      .selectFrom('lap_times as l')
      .innerJoin('drivers as d', 'd.id', 'l.driver_id')
      .innerJoin('races as r', 'r.id', 'l.race_id')
      .where('r.season', '=', 2021)
      .where('r.round', '=', 1)
      .where('d.driver_ref', '=', 'driver_a')
      .select(['l.lap', 'l.time_millis'])
      .orderBy('l.lap')
      .execute();
    // The winner's laps add up to the race time; his fastest is the result's fastest lap.
    expect(laps).toHaveLength(50);
    expect(laps.reduce((sum, l) => sum + (l.time_millis ?? 0), 0)).toBe(5_504_742);
    expect(laps[38]).toEqual({ lap: 39, time_millis: 92_608 });
    const long = await db
      .selectFrom('pit_stops')
      .select(['time_of_day', 'duration_millis'])
      .where('duration_millis', '>', 60_000)
      .orderBy('duration_millis')
      .execute();
    expect(long).toEqual([
      { time_of_day: '13:09:58', duration_millis: 62_345 },
      { time_of_day: '13:05:12', duration_millis: 1_004_718 },
    ]);
    expect(
      await db.selectFrom('statuses').select(['id', 'status']).orderBy('id').execute(),
    ).toEqual([
      { id: 1, status: 'Finished' },
      { id: 11, status: '+1 Lap' },
      { id: 20, status: 'Spun off' },
    ]);
  });

  test('an export without lap_times.csv or pit_stops.csv keeps the stored laps and stops', async () => {
    const db = database().db;
    const bare = editedCopy({});
    for (const file of ['lap_times.csv', 'pit_stops.csv']) rmSync(path.join(bare, file));
    const report = await importCsv(db, { dirs: [bare] });
    expect(report.tables.lap_times).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
    expect(report.tables.pit_stops).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
    const count = async (table: 'lap_times' | 'pit_stops') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('lap_times'), await count('pit_stops')]).toEqual([165, 6]);
  });

  test('a revised lap_times.csv makes the race equal it, with no results change', async () => {
    const db = database().db;
    const revised = editedCopy({
      'lap_times.csv': (t) =>
        t.replace(/501,104,12,.*\n/, '').replace('"1:52.437",112437', '"1:52.400",112400'),
    });
    const report = await importCsv(db, { dirs: [revised] });
    expect(report.tables.lap_times).toEqual({ created: 0, updated: 1, deleted: 1, unchanged: 163 });
    expect(report.timingRaces).toEqual([{ season: 2021, round: 1 }]);
    expect(report.changedRaces).toEqual([]);
    expect(report.pendingMarks).toBe(0);
  });
});
