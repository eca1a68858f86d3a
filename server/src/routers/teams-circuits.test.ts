import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { testServices } from '@f1/testkit/server';

describeEachBackend('teams and circuits routers', (database) => {
  const call = () => callerFor(testServices({ database: database() }));

  test('teams: list by name, season filter, get, NOT_FOUND', async () => {
    await seedReadFixtures(database().db);
    await database()
      .db.insertInto('teams')
      .values({ team_ref: 'idle', name: 'Idle Racing', nationality: 'British' })
      .execute();
    const all = await call().teams.list();
    expect(all.items.map((t) => t.teamId)).toEqual(['idle', 'team_one', 'team_two']);
    expect(all.nextCursor).toBeNull();
    const entered = await call().teams.list({ season: MINI_SEASON });
    expect(entered.items.map((t) => t.teamId)).toEqual(['team_one', 'team_two']);
    expect(await call().teams.get({ teamId: 'idle' })).toEqual({
      teamId: 'idle',
      name: 'Idle Racing',
      nationality: 'British',
      url: null,
    });
    expect(await errorOf(() => call().teams.get({ teamId: 'brawn' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'team "brawn" not found',
    });
  });

  test('teams: paging returns each team once', async () => {
    const first = await call().teams.list({ limit: 2 });
    const second = await call().teams.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((t) => t.teamId)).toEqual([
      'idle',
      'team_one',
      'team_two',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  test('circuits: list, paging, get, NOT_FOUND', async () => {
    await database()
      .db.insertInto('circuits')
      .values({
        circuit_ref: 'monaco',
        name: 'Circuit de Monaco',
        altitude_m: 7,
        locality: 'Monte-Carlo',
      })
      .execute();
    const first = await call().circuits.list({ limit: 1 });
    const second = await call().circuits.list({ limit: 1, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((c) => c.circuitId)).toEqual([
      'monaco',
      'test_ring',
    ]);
    expect(second.nextCursor).toBeNull();
    expect((await call().circuits.list()).items.length).toBe(2);
    expect(await call().circuits.get({ circuitId: 'test_ring' })).toEqual({
      circuitId: 'test_ring',
      name: 'Test Ring',
      locality: null,
      country: 'Nowhere',
      latitude: 50,
      longitude: 6,
      altitude: null,
      url: null,
    });
    expect(await errorOf(() => call().circuits.get({ circuitId: 'nowhere' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'circuit "nowhere" not found',
    });
  });
});
