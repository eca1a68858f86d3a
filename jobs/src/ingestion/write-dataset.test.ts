import { expect, test } from 'bun:test';
import { FencedOffError } from '@f1/db/ingestion/fences';
import { describeEachBackend } from '@f1/testkit/backends';
import { type Dataset, emptyDataset, type ResultRecord, type Scope } from './dataset.ts';
import { dumpSeason } from './testing.ts';
import { DatasetError, writeDataset } from './write-dataset.ts';

const SEASON = 2030;

function result(round: number, driverRef: string, order: number, points: number): ResultRecord {
  return {
    season: SEASON,
    round,
    driverRef,
    teamRef: 'team_x',
    entry: 1,
    number: order,
    grid: order,
    position: order,
    position_order: order,
    position_text: String(order),
    points,
    laps: 50,
    time_millis: null,
    time_text: null,
    fastest_lap: null,
    fastest_lap_rank: null,
    fastest_lap_millis: null,
    fastest_lap_speed_kph: null,
    status: 'Finished',
  };
}

const driver = (ref: string, given = 'Given') => ({
  driver_ref: ref,
  permanent_number: null,
  code: null,
  given_name: given,
  family_name: ref.toUpperCase(),
  date_of_birth: null,
  nationality: null,
  url: null,
});

/** A two-round season: round 1 with results and sessions, round 2 with results. */
function season(edit: (d: Dataset) => void = () => {}): Dataset {
  const race = (round: number) => ({
    season: SEASON,
    round,
    circuitRef: 'ring',
    name: `Race ${round}`,
    date: `${SEASON}-05-0${round}`,
    starts_at: null,
    url: null,
  });
  const dataset: Dataset = {
    circuits: [
      {
        circuit_ref: 'ring',
        name: 'The Ring',
        locality: null,
        country: null,
        latitude: 1,
        longitude: 2,
        url: null,
      },
    ],
    teams: [{ team_ref: 'team_x', name: 'Team X', nationality: null, url: null }],
    drivers: [driver('ann'), driver('bob')],
    races: [race(1), race(2)],
    sessions: [
      { season: SEASON, round: 1, kind: 'qualifying', date: `${SEASON}-04-30`, starts_at: null },
    ],
    results: [result(1, 'ann', 1, 25), result(1, 'bob', 2, 18), result(2, 'bob', 1, 25)],
  };
  edit(dataset);
  return dataset;
}

const SEASON_SCOPE: Scope = { kind: 'season', season: SEASON };

describeEachBackend('writeDataset', (database) => {
  const write = (
    dataset: Dataset,
    scope: Scope = SEASON_SCOPE,
    fence?: { name: string; token: number },
  ) =>
    database()
      .db.transaction()
      .execute((trx) => writeDataset(trx, dataset, scope, { fence }));

  test('writes every table from refs; the stored rows are the same on both back ends', async () => {
    const report = await write(season());
    expect(report.tables.races).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 0 });
    expect(report.tables.race_results.created).toBe(3);
    expect(report.tables.race_sessions.created).toBe(1);
    expect(report.totals.created).toBe(report.rows);
    expect(report.changedRaces.map((r) => r.round)).toEqual([1, 2]);
    expect(report.changedSeasons).toEqual([SEASON]);
    const stored = await dumpSeason(database().db, SEASON);
    expect(stored.races.map((r) => [r.round, r.circuit_ref, r.name])).toEqual([
      [1, 'ring', 'Race 1'],
      [2, 'ring', 'Race 2'],
    ]);
    expect(stored.results.map((r) => [r.round, r.driver_ref, r.team_ref, r.points])).toEqual([
      [1, 'ann', 'team_x', 25],
      [1, 'bob', 'team_x', 18],
      [2, 'bob', 'team_x', 25],
    ]);
    expect(stored.sessions).toEqual([
      { round: 1, kind: 'qualifying', date: `${SEASON}-04-30`, starts_at: null },
    ]);
  });

  test('the same dataset again writes nothing and reports no change', async () => {
    const report = await write(season());
    expect(report.totals).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: report.rows });
    expect(report.changedRaces).toEqual([]);
    expect(report.changedSeasons).toEqual([]);
  });

  test('a race with rows is made equal to them; a race with none keeps its rows', async () => {
    const report = await write(
      season((d) => {
        // Round 1 reclassified: bob's points changed, ann's row vanished. Round 2 sent no rows.
        d.results = [result(1, 'bob', 1, 26)];
        d.sessions = [];
      }),
    );
    expect(report.tables.race_results).toEqual({
      created: 0,
      updated: 1,
      deleted: 1,
      unchanged: 0,
    });
    // The schedule speaks for the whole weekend: round 1's session is gone.
    expect(report.tables.race_sessions.deleted).toBe(1);
    expect(report.changedRaces.map((r) => r.round)).toEqual([1]);
    const stored = await dumpSeason(database().db, SEASON);
    expect(stored.results.map((r) => [r.round, r.driver_ref, r.points])).toEqual([
      [1, 'bob', 26],
      [2, 'bob', 25],
    ]);
    expect(stored.sessions).toEqual([]);
  });

  test('a renamed driver marks every season the dataset speaks for as changed', async () => {
    const report = await write(
      season((d) => {
        d.drivers = [driver('ann', 'Anne'), driver('bob')];
        d.results = undefined;
        d.sessions = undefined;
      }),
      { kind: 'all' },
    );
    expect(report.tables.drivers.updated).toBe(1);
    expect(report.changedRaces).toEqual([]);
    expect(report.changedSeasons).toEqual([SEASON]);
  });

  test('rows outside the scope and unknown refs are refused; nothing is written', async () => {
    const round1: Scope = { kind: 'round', season: SEASON, round: 1 };
    await expect(write(season(), round1)).rejects.toThrow(
      new DatasetError(`race ${SEASON}/2 is outside the dataset's scope`),
    );
    const calendar = season((d) => {
      d.races = [];
      d.results = [];
      d.sessions = [];
      d.calendars = [{ season: SEASON + 1, rounds: [] }];
    });
    await expect(write(calendar)).rejects.toThrow(`the calendar of ${SEASON + 1} is outside`);
    await expect(
      write({ ...calendar, calendars: [{ season: SEASON, rounds: [] }] }, round1),
    ).rejects.toThrow(`the calendar of ${SEASON} is outside`);
    // A calendar listing no rounds would delete every unrun race of the season: refused, not applied.
    await expect(
      write({ ...calendar, calendars: [{ season: SEASON, rounds: [] }] }),
    ).rejects.toThrow(new DatasetError(`the calendar of ${SEASON} lists no rounds`));
    const stranger = season((d) => {
      d.results = [result(1, 'nobody', 1, 25)];
      d.drivers = [driver('ann', 'Changed')];
    });
    await expect(write(stranger)).rejects.toThrow(
      'driver "nobody" is neither in the dataset nor stored',
    );
    const stored = await dumpSeason(database().db, SEASON);
    expect(stored.results.map((r) => r.driver_ref)).toEqual(['bob', 'bob']);
    expect(stored.results[0]?.given_name).toBe('Given');
  });

  test('a complete calendar deletes the listed season’s unlisted races without results', async () => {
    await write({
      ...season(),
      races: [
        {
          season: SEASON,
          round: 3,
          circuitRef: 'ring',
          name: 'Race 3',
          date: `${SEASON}-05-03`,
          starts_at: null,
          url: null,
        },
      ],
      results: undefined,
      sessions: undefined,
    });
    const report = await write({
      circuits: [],
      teams: [],
      drivers: [],
      races: [],
      calendars: [{ season: SEASON, rounds: [1] }],
    });
    // Round 2 has a result and stays; round 3 was never run and goes.
    expect(report.tables.races.deleted).toBe(1);
    expect(report.changedSeasons).toEqual([SEASON]);
    expect((await dumpSeason(database().db, SEASON)).races.map((r) => r.round)).toEqual([1, 2]);
  });

  test('season pages are upserted, never deleted; a page outside the scope is refused', async () => {
    const page = (url: string | null) => ({ ...emptyDataset(), seasons: [{ year: SEASON, url }] });
    const pages = () =>
      database().db.selectFrom('seasons').select(['year', 'url']).orderBy('year').execute();
    const created = await write(page('http://example.org/a'));
    expect(created.tables.seasons).toEqual({ created: 1, updated: 0, deleted: 0, unchanged: 0 });
    expect(created.changedSeasons).toEqual([SEASON]);
    expect(created.pendingMarks).toBe(1);
    const round1: Scope = { kind: 'round', season: SEASON, round: 1 };
    const renamed = await write(page('http://example.org/b'), round1);
    expect(renamed.tables.seasons).toEqual({ created: 0, updated: 1, deleted: 0, unchanged: 0 });
    const same = await write(page('http://example.org/b'), { kind: 'all' });
    expect(same.tables.seasons).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 1 });
    expect([same.changedSeasons, same.pendingMarks]).toEqual([[], 0]);
    // A dataset without pages (or with other seasons' pages) deletes none.
    await write(emptyDataset());
    await expect(
      write({ ...emptyDataset(), seasons: [{ year: SEASON + 1, url: null }] }),
    ).rejects.toThrow(new DatasetError(`season ${SEASON + 1} is outside the dataset's scope`));
    await expect(
      write(
        { ...emptyDataset(), seasons: [{ year: SEASON, url: null }] },
        { kind: 'all', seasons: [SEASON + 1] },
      ),
    ).rejects.toThrow(`season ${SEASON} is outside`);
    expect(await pages()).toEqual([{ year: SEASON, url: 'http://example.org/b' }]);
  });

  test('a round-sized dataset leaves its fingerprints; a stale fence writes nothing', async () => {
    const round2: Scope = { kind: 'round', season: SEASON, round: 2 };
    const only2 = season((d) => {
      d.races = d.races.filter((r) => r.round === 2);
      d.results = [result(2, 'bob', 1, 25), result(2, 'ann', 2, 18)];
      d.sessions = undefined;
    });
    const report = await write(only2, round2, { name: 'test-lock', token: 5 });
    expect(report.roundsWritten).toEqual([2]);
    expect(report.season).toBe(SEASON);
    const fingerprints = await database()
      .db.selectFrom('ingested_rounds')
      .select(['season', 'round', 'dataset', 'row_count'])
      .execute();
    expect(fingerprints).toEqual([{ season: SEASON, round: 2, dataset: 'results', row_count: 2 }]);
    const stale = season((d) => {
      d.races = [];
      d.results = [];
      d.sessions = undefined;
      d.drivers = [driver('zed')];
    });
    await expect(write(stale, round2, { name: 'test-lock', token: 4 })).rejects.toBeInstanceOf(
      FencedOffError,
    );
    const drivers = await database().db.selectFrom('drivers').select('driver_ref').execute();
    expect(drivers.map((d) => d.driver_ref).sort()).toEqual(['ann', 'bob']);
  });
});
