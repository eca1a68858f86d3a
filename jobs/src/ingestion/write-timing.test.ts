import { expect, test } from 'bun:test';
import { ingestionChanges } from '@f1/core/changes/data-changes';
import type { DB } from '@f1/db/schema';
import { describeEachBackend } from '@f1/testkit/backends';
import type { Kysely } from 'kysely';
import type { Dataset, LapRecord, PitStopRecord, ResultRecord } from './dataset.ts';
import { writeDataset } from './write-dataset.ts';

const SEASON = 2031;
const scope = { kind: 'season', season: SEASON } as const;

const lap = (round: number, driverRef: string, n: number, ms: number): LapRecord => ({
  season: SEASON,
  round,
  driverRef,
  lap: n,
  position: driverRef === 'alpha' ? 1 : 2,
  time_millis: ms,
});
const stop = (round: number, driverRef: string, n: number, lapNo: number): PitStopRecord => ({
  season: SEASON,
  round,
  driverRef,
  stop: n,
  lap: lapNo,
  time_of_day: `14:${String(10 + lapNo).padStart(2, '0')}:00`,
  duration_millis: 22_000 + n,
});
const result = (round: number, driverRef: string, order: number, status: string): ResultRecord => ({
  season: SEASON,
  round,
  driverRef,
  teamRef: null,
  entry: 1,
  number: null,
  grid: order,
  position: order,
  position_order: order,
  position_text: String(order),
  points: 0,
  laps: 3,
  time_millis: null,
  time_text: null,
  fastest_lap: null,
  fastest_lap_rank: null,
  fastest_lap_millis: null,
  fastest_lap_speed_kph: null,
  status,
});

function base(extra: Partial<Dataset> = {}): Dataset {
  const person = (ref: string) => ({
    driver_ref: ref,
    permanent_number: null,
    code: null,
    given_name: ref,
    family_name: ref.toUpperCase(),
    date_of_birth: null,
    nationality: null,
    url: null,
  });
  const race = (round: number) => ({
    season: SEASON,
    round,
    circuitRef: 'timing_ring',
    name: `Timing ${round}`,
    date: `${SEASON}-06-0${round}`,
    starts_at: null,
    url: null,
  });
  return {
    circuits: [
      {
        circuit_ref: 'timing_ring',
        name: 'Timing Ring',
        locality: null,
        country: null,
        latitude: null,
        longitude: null,
        url: null,
      },
    ],
    teams: [],
    drivers: [person('alpha'), person('beta')],
    races: [race(1), race(2)],
    ...extra,
  };
}

const fullLaps = () =>
  [1, 2].flatMap((round) =>
    ['alpha', 'beta'].flatMap((d) => [1, 2, 3].map((n) => lap(round, d, n, 90_000 + n * 10))),
  );

const stored = async (db: Kysely<DB>) => ({
  laps: await db
    .selectFrom('lap_times as l')
    .innerJoin('races as r', 'r.id', 'l.race_id')
    .innerJoin('drivers as d', 'd.id', 'l.driver_id')
    .select(['r.round', 'd.driver_ref', 'l.lap', 'l.time_millis'])
    .where('r.season', '=', SEASON)
    .orderBy(['r.round', 'd.driver_ref', 'l.lap'])
    .execute(),
  stops: await db
    .selectFrom('pit_stops as p')
    .innerJoin('races as r', 'r.id', 'p.race_id')
    .select(['r.round', 'p.stop', 'p.lap', 'p.time_of_day', 'p.duration_millis'])
    .where('r.season', '=', SEASON)
    .orderBy(['r.round', 'p.stop'])
    .execute(),
});

const statuses = (db: Kysely<DB>) =>
  db.selectFrom('statuses').select(['id', 'status']).orderBy('id').execute();

describeEachBackend('writeDataset: lap timings and pit stops', (database) => {
  test('laps and pit stops are written by ref and counted; the rerun writes nothing', async () => {
    const db = database().db;
    const dataset = base({
      laps: fullLaps(),
      pitStops: [stop(1, 'alpha', 1, 2), stop(1, 'beta', 1, 1), stop(2, 'beta', 1, 2)],
    });
    const first = await db.transaction().execute((trx) => writeDataset(trx, dataset, scope));
    expect(first.tables.lap_times).toEqual({ created: 12, updated: 0, deleted: 0, unchanged: 0 });
    expect(first.tables.pit_stops).toEqual({ created: 3, updated: 0, deleted: 0, unchanged: 0 });
    expect(first.timingRaces).toEqual([
      { season: SEASON, round: 1 },
      { season: SEASON, round: 2 },
    ]);
    // Laps change no result: no results change, and the timing entry names the races.
    expect(first.changedRaces).toEqual([]);
    expect(ingestionChanges(first).find((c) => c.kind === 'timing')).toEqual({
      kind: 'timing',
      races: first.timingRaces,
    });
    const rows = await stored(db);
    expect(rows.laps).toHaveLength(12);
    expect(rows.laps[0]).toEqual({ round: 1, driver_ref: 'alpha', lap: 1, time_millis: 90_010 });
    expect(rows.stops[0]).toEqual({
      round: 1,
      stop: 1,
      lap: 2,
      time_of_day: '14:12:00',
      duration_millis: 22_001,
    });

    const again = await db.transaction().execute((trx) => writeDataset(trx, dataset, scope));
    expect(again.tables.lap_times).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 12 });
    expect(again.timingRaces).toEqual([]);
    expect(again.pendingMarks).toBe(0);
  });

  test('a race with rows is made equal to them; absent or empty laps keep the stored ones', async () => {
    const db = database().db;
    // Round 1: beta's lap 3 vanished and alpha's lap 1 was corrected; round 2 not given at all.
    const revised = fullLaps().filter(
      (l) => l.round === 1 && !(l.driverRef === 'beta' && l.lap === 3),
    );
    const first = revised[0];
    if (first) first.time_millis = 89_999;
    const report = await db
      .transaction()
      .execute((trx) => writeDataset(trx, base({ laps: revised }), scope));
    expect(report.tables.lap_times).toEqual({ created: 0, updated: 1, deleted: 1, unchanged: 4 });
    expect(report.timingRaces).toEqual([{ season: SEASON, round: 1 }]);
    expect(report.pendingMarks).toBe(0);
    const rows = await stored(db);
    expect(rows.laps.filter((l) => l.round === 1)).toHaveLength(5);
    expect(rows.laps.filter((l) => l.round === 2)).toHaveLength(6);

    // Absent (a source that did not read laps) and [] (nothing published yet) both keep them.
    for (const laps of [undefined, []]) {
      const kept = await db
        .transaction()
        .execute((trx) => writeDataset(trx, base({ laps, pitStops: laps }), scope));
      expect(kept.tables.lap_times.deleted + kept.tables.pit_stops.deleted).toBe(0);
    }
    expect(await stored(db)).toEqual(rows);
  });

  test('a status text without an id gets max + 1; ids a source gives are kept', async () => {
    const db = database().db;
    const given = [
      { id: 1, status: 'Finished' },
      { id: 31, status: 'Retired' },
    ];
    const report = await db.transaction().execute((trx) =>
      writeDataset(
        trx,
        base({
          statuses: given,
          results: [result(1, 'alpha', 1, 'Finished'), result(1, 'beta', 2, 'Lapped')],
        }),
        scope,
      ),
    );
    expect(report.tables.statuses.created).toBe(3);
    expect(await statuses(db)).toEqual([
      { id: 1, status: 'Finished' },
      { id: 31, status: 'Retired' },
      { id: 32, status: 'Lapped' },
    ]);
    // A later source numbering "Lapped" 143 (Jolpica) moves it; a text it displaces is renumbered.
    await db.transaction().execute((trx) =>
      writeDataset(
        trx,
        base({
          statuses: [
            { id: 143, status: 'Lapped' },
            { id: 31, status: 'Did not start' },
          ],
        }),
        scope,
      ),
    );
    expect(await statuses(db)).toEqual([
      { id: 1, status: 'Finished' },
      { id: 31, status: 'Did not start' },
      { id: 143, status: 'Lapped' },
      { id: 144, status: 'Retired' },
    ]);
  });
});
