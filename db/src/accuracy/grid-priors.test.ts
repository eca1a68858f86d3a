import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { priorsBySeason } from './grid-priors.ts';

describeEachBackend('grid priors', (database) => {
  test('count each grid slot over the ten seasons before each season, and no others', async () => {
    const { db } = database();
    // The mini season (2021): two races, grid = finishing order, one retirement from P4.
    await seedMiniSeason(db);
    const priors = await priorsBySeason(db, [2021, 2022, 2031, 2032]);
    const full = new Map([
      [1, { starts: 2, wins: 2, podiums: 2 }],
      [2, { starts: 2, wins: 0, podiums: 2 }],
      [3, { starts: 2, wins: 0, podiums: 2 }],
      [4, { starts: 2, wins: 0, podiums: 0 }],
    ]);
    expect(priors.get(2021)).toEqual(new Map()); // a season never sees itself
    expect(priors.get(2022)).toEqual(full);
    expect(priors.get(2031)).toEqual(full); // 2021 is the oldest of 2021–2030
    expect(priors.get(2032)).toEqual(new Map()); // and out of 2022–2031
  });
});
