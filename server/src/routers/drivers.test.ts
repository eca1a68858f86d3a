import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedManyDrivers, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { testApp, testClient, testServices } from '@f1/testkit/server';

describeEachBackend('drivers router', (database) => {
  const services = () => testServices({ database: database() });
  const call = () => callerFor(services());

  test('list: every driver in name order, with the public fields only', async () => {
    await seedReadFixtures(database().db);
    const page = await call().drivers.list();
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((d) => d.driverId)).toEqual([
      'driver_a',
      'driver_b',
      'driver_c',
      'driver_d',
    ]);
    expect(page.items[0]).toEqual({
      driverId: 'driver_a',
      permanentNumber: 1,
      code: 'DRA',
      givenName: 'Driver',
      familyName: 'A',
      dateOfBirth: null,
      nationality: null,
      url: null,
    });
  });

  test('get: one driver; an unknown id is NOT_FOUND naming it', async () => {
    expect((await call().drivers.get({ driverId: 'driver_c' })).code).toBe('DRC');
    const error = await errorOf(() => call().drivers.get({ driverId: 'max_verstapen' }));
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'driver "max_verstapen" not found' });
  });

  test('list: search matches name, ref or code, case-insensitively, wildcards literal', async () => {
    const ids = async (search: string) =>
      (await call().drivers.list({ search })).items.map((d) => d.driverId);
    expect(await ids('driver b')).toEqual(['driver_b']);
    expect(await ids('drc')).toEqual(['driver_c']);
    expect(await ids('DRIVER_D')).toEqual(['driver_d']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual(['driver_a', 'driver_b', 'driver_c', 'driver_d']);
  });

  test('list: season filter keeps the drivers entered that season', async () => {
    expect((await call().drivers.list({ season: MINI_SEASON })).items.length).toBe(4);
    expect((await call().drivers.list({ season: 1999 })).items).toEqual([]);
  });

  test('list: cursor paging returns every driver exactly once, in a stable order', async () => {
    await seedManyDrivers(database().db, 23);
    const all = await database()
      .db.selectFrom('drivers')
      .select('driver_ref')
      .execute()
      .then((rows) => rows.map((r) => r.driver_ref).sort());
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call().drivers.list({ limit: 4, cursor });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((d) => d.driverId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen.length).toBe(all.length);
    expect([...seen].sort()).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
    // Family name, then given name, then ref: the three Alpha/Ann drivers keep their ref order.
    const alphaAnn = seen.filter((id) => ['paging_000', 'paging_006', 'paging_012'].includes(id));
    expect(alphaAnn).toEqual(['paging_000', 'paging_006', 'paging_012']);
    const firstPage = await call().drivers.list({ limit: 4 });
    expect(firstPage.items.map((d) => d.familyName)).toEqual(['A', 'Alpha', 'Alpha', 'Alpha']);
  });

  test('list: the default page is 50 and the hard maximum 100', async () => {
    await seedManyDrivers(database().db, 30, 'extra'); // 57 drivers in all now
    const first = await call().drivers.list();
    expect(first.items.length).toBe(50);
    expect(first.nextCursor).not.toBeNull();
    const client = testClient(testApp(services()));
    const error = await errorOf(() => client.drivers.list.query({ limit: 101 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.httpStatus).toBe(400);
    expect(error.fieldErrors?.limit?.[0]).toMatch(/<=100/);
  });

  test('bad input is a BAD_REQUEST naming the field; a foreign cursor too', async () => {
    const client = testClient(testApp(services()));
    const badId = await errorOf(() => client.drivers.get.query({ driverId: 'max verstappen' }));
    expect(badId.code).toBe('BAD_REQUEST');
    expect(badId.fieldErrors?.driverId?.[0]).toMatch(/public id/);
    const unknownKey = await errorOf(() =>
      client.drivers.list.query({ seasn: 2021 } as unknown as { season: number }),
    );
    expect(unknownKey.code).toBe('BAD_REQUEST');
    const teams = await client.teams.list.query({ limit: 1 });
    const foreign = await errorOf(() =>
      client.drivers.list.query({ cursor: teams.nextCursor ?? 'x' }),
    );
    expect(foreign.code).toBe('BAD_REQUEST');
    expect(foreign.fieldErrors?.cursor?.[0]).toMatch(/not a cursor of drivers.list/);
    const garbage = await errorOf(() => client.drivers.list.query({ cursor: '!!!' }));
    expect(garbage.fieldErrors?.cursor).toBeDefined();
  });

  test('results: a driver’s race results by season and round, with the team', async () => {
    const results = await call().drivers.results({ driverId: 'driver_d', season: MINI_SEASON });
    expect(results.nextCursor).toBeNull();
    expect(
      results.items.map((r) => [r.round, r.position, r.positionText, r.points, r.team?.teamId]),
    ).toEqual([
      [1, 4, '4', 12, 'team_two'],
      [2, null, 'R', 0, 'team_two'],
    ]);
    expect(results.items[0]).toMatchObject({
      season: MINI_SEASON,
      raceName: 'First GP',
      date: '2021-04-04',
      circuitId: 'test_ring',
      status: 'Finished',
    });
    const paged = await call().drivers.results({ driverId: 'driver_d', limit: 1 });
    expect(paged.items.map((r) => r.round)).toEqual([1]);
    const rest = await call().drivers.results({
      driverId: 'driver_d',
      limit: 1,
      cursor: paged.nextCursor ?? undefined,
    });
    expect(rest.items.map((r) => r.round)).toEqual([2]);
    expect(rest.nextCursor).toBeNull();
  });

  test('results: a known driver without results is empty; an unknown one NOT_FOUND', async () => {
    expect((await call().drivers.results({ driverId: 'paging_001' })).items).toEqual([]);
    const error = await errorOf(() => call().drivers.results({ driverId: 'nobody' }));
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'driver "nobody" not found' });
  });
});
