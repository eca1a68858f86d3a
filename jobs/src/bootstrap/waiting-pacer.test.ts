import { expect, test } from 'bun:test';
import { BudgetExhaustedError, type Clock, HOUR_MS, Pacer } from '../sources/http/pacer.ts';
import { BootstrapStoppedError, realWait, type Wait, WaitingPacer } from './waiting-pacer.ts';

/** A clock that moves only when someone waits. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
  };
  const wait: Wait = async (ms, signal) => {
    if (signal?.aborted) throw new BootstrapStoppedError('aborted');
    waits.push(ms);
    now += ms;
  };
  return { clock, wait, waits, now: () => now };
}

test('waits for the rolling hour instead of failing, saying so', async () => {
  const t = fakeTime();
  const told: number[] = [];
  const inner = new Pacer({ perSecond: 1000, perHour: 3 }, t.clock);
  const pacer = new WaitingPacer(inner, {
    perHour: 3,
    clock: t.clock,
    wait: t.wait,
    onWait: (ms) => told.push(ms),
  });
  for (let i = 0; i < 3; i++) await pacer.acquire();
  expect(t.waits).toEqual([]);
  expect(pacer.usedThisHour).toBe(3);
  const before = t.now();
  await pacer.acquire(); // the 4th: waits until the first leaves the hour
  expect(t.waits).toHaveLength(1);
  expect(told).toEqual(t.waits);
  expect(t.now() - before).toBeGreaterThanOrEqual(HOUR_MS - 10);
});

test('a seed of earlier requests counts against the hour', async () => {
  const t = fakeTime();
  const seed = [t.now() - 10 * 60_000, t.now() - 5 * 60_000];
  const pacer = new WaitingPacer(new Pacer({ perSecond: 1000, perHour: 2 }, t.clock), {
    perHour: 2,
    seed,
    clock: t.clock,
    wait: t.wait,
  });
  expect(pacer.usedThisHour).toBe(2);
  await pacer.acquire();
  // The oldest seeded request leaves the hour 50 minutes from now.
  expect(t.waits).toEqual([50 * 60_000]);
});

test("the shared pacer's budget error (other processes spent the hour) is waited out too", async () => {
  const t = fakeTime();
  let refusals = 1;
  const inner = {
    acquire: async () => {
      if (refusals-- > 0) throw new BudgetExhaustedError(500, 120_000);
    },
    deferred: 0,
    defer(ms: number) {
      this.deferred = ms;
    },
  };
  const pacer = new WaitingPacer(inner, { perHour: 500, clock: t.clock, wait: t.wait });
  await pacer.acquire();
  expect(t.waits).toEqual([120_000]);
  pacer.defer(5_000);
  expect(inner.deferred).toBe(5_000);
  // Any other error is not the budget: it goes through.
  const broken = new WaitingPacer(
    {
      acquire: async () => {
        throw new Error('boom');
      },
      defer: () => {},
    },
    { perHour: 500, clock: t.clock, wait: t.wait },
  );
  await expect(broken.acquire()).rejects.toThrow('boom');
});

test('an abort stops at once: before a request and during a wait (a real timer, cleared)', async () => {
  const controller = new AbortController();
  const t = fakeTime();
  const pacer = new WaitingPacer(new Pacer({ perSecond: 1000, perHour: 1 }, t.clock), {
    perHour: 1,
    seed: [t.now()],
    signal: controller.signal,
    clock: t.clock,
  });
  const started = performance.now();
  const waiting = pacer.acquire(); // real wait of an hour, ended by the abort
  setTimeout(() => controller.abort('SIGTERM'), 20);
  await expect(waiting).rejects.toBeInstanceOf(BootstrapStoppedError);
  expect(performance.now() - started).toBeLessThan(2_000);
  await expect(pacer.acquire()).rejects.toThrow('SIGTERM');
  await expect(realWait(10, controller.signal)).rejects.toBeInstanceOf(BootstrapStoppedError);
  await realWait(1); // no signal: just a short sleep
});
