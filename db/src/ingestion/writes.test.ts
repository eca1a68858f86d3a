import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { DuplicateKeyError } from './sync.ts';
import {
  deleteUnscheduledRaces,
  raceIds,
  refIds,
  syncQualifyingResults,
  upsertRaces,
  upsertTeams,
} from './writes.ts';

describeEachBackend('ingestion writes', (database) => {
  test('upserts count created, updated and unchanged, and only touch changed rows', async () => {
    const db = database().db;
    await seedMiniSeason(db);
    const result = await upsertTeams(db, [
      { team_ref: 'team_one', name: 'Team One', nationality: null, url: null },
      { team_ref: 'team_two', name: 'Team Two Renamed', nationality: null, url: null },
      { team_ref: 'team_three', name: 'Team Three', nationality: 'Swiss', url: null },
    ]);
    expect(result).toEqual({ created: 1, updated: 1, deleted: 0, unchanged: 1, changedScope: [] });
    const ids = await refIds(db, 'teams', ['team_two', 'team_three', 'team_two']);
    expect([...ids.keys()].sort()).toEqual(['team_three', 'team_two']);
    expect((await refIds(db, 'teams')).size).toBe(3);
    expect((await refIds(db, 'drivers', [])).size).toBe(0);
  });

  test('a source listing one key twice is refused before anything is written', async () => {
    const db = database().db;
    const row = { team_ref: 'dup', name: 'Dup', nationality: null, url: null };
    await expect(upsertTeams(db, [row, row])).rejects.toThrow(
      new DuplicateKeyError('teams: the source lists key (team_ref) = (dup) twice'),
    );
    expect((await refIds(db, 'teams', ['dup'])).size).toBe(0);
  });

  test('per-race sync with an empty source clears exactly the scoped races', async () => {
    const db = database().db;
    const races = await raceIds(db, [2021]);
    const r1 = races.get('2021:1') ?? 0;
    const drivers = await refIds(db, 'drivers');
    const row = (driver: string, position: number) => ({
      race_id: r1,
      driver_id: drivers.get(driver) ?? 0,
      team_id: null,
      number: null,
      position,
      q1_millis: 90_000 + position,
      q2_millis: null,
      q3_millis: null,
    });
    const first = await syncQualifyingResults(db, [row('driver_a', 1), row('driver_b', 2)], [r1]);
    expect(first).toMatchObject({ created: 2, changedScope: [r1] });
    const cleared = await syncQualifyingResults(db, [], [r1]);
    expect(cleared).toEqual({
      created: 0,
      updated: 0,
      deleted: 2,
      unchanged: 0,
      changedScope: [r1],
    });
    expect(await syncQualifyingResults(db, [], [])).toMatchObject({ deleted: 0, changedScope: [] });
  });

  test('a schedule sync deletes only unscheduled races that have no results', async () => {
    const db = database().db;
    const circuit = await refIds(db, 'circuits');
    const circuitId = circuit.get('test_ring') ?? 0;
    const upserted = await upsertRaces(db, [
      {
        season: 2021,
        round: 3,
        circuit_id: circuitId,
        name: 'Third GP',
        date: '2021-05-02',
        starts_at: null,
        url: null,
      },
    ]);
    expect(upserted.changedScope).toEqual([2021]);
    // Round 3 is no longer on the schedule; rounds 1 and 2 are not listed either but have results.
    expect(await deleteUnscheduledRaces(db, { season: 2021, rounds: [] })).toBe(1);
    expect([...(await raceIds(db, [2021])).keys()].sort()).toEqual(['2021:1', '2021:2']);
    expect(await deleteUnscheduledRaces(db, { season: 2021, rounds: [1, 2] })).toBe(0);
    expect((await raceIds(db, [])).size).toBe(0);
  });
});
