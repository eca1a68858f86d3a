import { expect, test } from 'bun:test';
import { createLogger } from '@f1/core/logger';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { type ChangedRace, onResultsChanged, runResultsChangedHooks } from './hooks.ts';

const errors: string[] = [];
const context = {
  db: {} as Kysely<DB>,
  redis: null,
  logger: {
    ...createLogger({ level: 'silent', json: false }),
    error: (m: string) => errors.push(m),
  },
};
const race = (season: number, round: number): ChangedRace => ({
  raceId: season * 100 + round,
  season,
  round,
});

test('handlers get the changed races in season/round order; failures do not stop the others', async () => {
  const seen: string[] = [];
  const offA = onResultsChanged(async (races) => {
    seen.push(`a:${races.map((r) => `${r.season}/${r.round}`).join(',')}`);
  });
  const offB = onResultsChanged(
    async () => {
      throw new Error('ratings table locked');
    },
    { name: 'elo' },
  );
  const offC = onResultsChanged(async (races) => {
    seen.push(`c:${races.length}`);
  });
  const outcomes = await runResultsChangedHooks(
    [race(2024, 3), race(2023, 22), race(2024, 1)],
    context,
  );
  expect(seen).toEqual(['a:2023/22,2024/1,2024/3', 'c:3']);
  expect(outcomes.map((o) => [o.ok, o.error ?? null])).toEqual([
    [true, null],
    [false, 'ratings table locked'],
    [true, null],
  ]);
  expect(outcomes[1]?.name).toBe('elo');
  expect(errors).toEqual(['results-changed hook failed']);
  offA();
  offB();
  offC();
  expect(await runResultsChangedHooks([race(2024, 1)], context)).toEqual([]);
});

test('nothing runs when no race changed; a name registers once', async () => {
  let calls = 0;
  const first = onResultsChanged(
    async () => {
      calls += 10;
    },
    { name: 'accuracy' },
  );
  const second = onResultsChanged(
    async () => {
      calls += 1;
    },
    { name: 'accuracy' },
  );
  expect(await runResultsChangedHooks([], context)).toEqual([]);
  await runResultsChangedHooks([race(2024, 1)], context);
  expect(calls).toBe(1);
  first(); // stale unregister: must not remove the replacement
  await runResultsChangedHooks([race(2024, 1)], context);
  expect(calls).toBe(2);
  second();
});
