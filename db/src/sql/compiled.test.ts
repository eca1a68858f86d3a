import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { sql } from 'kysely';
import { compiledOnce } from './compiled.ts';

describeEachBackend('compiledOnce', (database) => {
  test('runs the query compiled once with each call’s arguments; constants stay', async () => {
    const db = database().db;
    await db
      .insertInto('circuits')
      .values([
        { circuit_ref: 'a', name: 'A', country: 'X', altitude_m: 5 },
        { circuit_ref: 'b', name: 'B', country: 'X', altitude_m: 5 },
        { circuit_ref: 'c', name: 'C', country: 'Y', altitude_m: 9 },
      ])
      .execute();
    let builds = 0;
    const byCountry = compiledOnce((d, country: string, minAltitude: number) => {
      builds++;
      return d
        .selectFrom('circuits')
        .select('circuit_ref')
        .where('country', '=', country)
        .where('altitude_m', '>=', minAltitude)
        .where('name', '<>', 'constant')
        .orderBy('circuit_ref');
    });
    expect(await byCountry(db, 'X', 0)).toEqual([{ circuit_ref: 'a' }, { circuit_ref: 'b' }]);
    expect(await byCountry(db, 'Y', 9)).toEqual([{ circuit_ref: 'c' }]);
    expect(await byCountry(db, 'Y', 10)).toEqual([]);
    expect(builds).toBe(1);
    // An argument used twice (as in the latest-round standings) fills both slots.
    const twice = compiledOnce((d, country: string) =>
      d
        .selectFrom('circuits')
        .select('circuit_ref')
        .where('country', '=', country)
        .where(sql<boolean>`${country} = 'X'`),
    );
    expect((await twice(db, 'X')).length).toBe(2);
    expect(await twice(db, 'Y')).toEqual([]);
  });

  test('an argument that is not bound as a parameter is refused at set-up', async () => {
    const broken = compiledOnce((d, _unused: number) => d.selectFrom('circuits').select('id'));
    await expect(broken(database().db, 1)).rejects.toThrow(/argument 0 is not bound/);
  });
});
