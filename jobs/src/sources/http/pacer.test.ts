import { expect, test } from 'bun:test';
import { manualClock } from '../jolpica/testing.ts';
import { BudgetExhaustedError, Pacer } from './pacer.ts';

test('requests are spaced so that no second holds more than perSecond starts', async () => {
  const clock = manualClock();
  const pacer = new Pacer({ perSecond: 4, perHour: 500 }, clock);
  const starts: number[] = [];
  for (let i = 0; i < 9; i++) {
    await pacer.acquire();
    starts.push(clock.now());
  }
  for (let i = 4; i < starts.length; i++) {
    expect((starts[i] ?? 0) - (starts[i - 4] ?? 0)).toBeGreaterThan(1000);
  }
  expect(pacer.usedThisHour).toBe(9);
});

test('the hourly budget is an error saying when the next request is allowed', async () => {
  const clock = manualClock();
  const pacer = new Pacer({ perSecond: 100, perHour: 3 }, clock);
  for (let i = 0; i < 3; i++) await pacer.acquire();
  const error = await pacer.acquire().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BudgetExhaustedError);
  expect((error as Error).message).toBe(
    'hourly request budget of 3 is spent; the next request is allowed in 60 min',
  );
  clock.advance(3_600_001);
  await pacer.acquire();
  expect(pacer.usedThisHour).toBe(1);
});

test('defer pushes the next slot back (a 429 asked us to slow down)', async () => {
  const clock = manualClock();
  const pacer = new Pacer({ perSecond: 4, perHour: 500 }, clock);
  await pacer.acquire();
  pacer.defer(5_000);
  const before = clock.now();
  await pacer.acquire();
  expect(clock.now() - before).toBe(5_000);
});

test('a timer that fires late does not shorten the gap to the next request', async () => {
  const clock = manualClock();
  const late = { ...clock, sleep: async (ms: number) => clock.sleep(ms > 0 ? ms + 120 : 0) };
  const pacer = new Pacer({ perSecond: 4, perHour: 500 }, late);
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    await pacer.acquire();
    starts.push(clock.now());
  }
  expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(262.5);
});
