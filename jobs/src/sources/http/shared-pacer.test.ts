import { afterAll, beforeAll, expect, test } from 'bun:test';
import { loadConfig } from '@f1/core/config';
import type { Logger } from '@f1/core/logger';
import { silentLogger } from '@f1/core/logger';
import { createRedis, type Redis } from '@f1/core/redis';
import { testRedisPair } from '@f1/testkit/redis';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { describeWithRedis } from '@f1/testkit/skip';
import { setupServer } from 'msw/node';
import { createSourceClient } from '../jolpica/create-client.ts';
import { FAKE_BASE_URL, fakeJolpica } from '../jolpica/testing.ts';
import { BudgetExhaustedError, Pacer } from './pacer.ts';
import { PACER_SCRIPTS, SharedPacer } from './shared-pacer.ts';

/** Start times of `count` sequential acquires on each pacer, all pacers running at once, sorted. */
async function startTimes(pacers: { acquire(): Promise<void> }[], count: number) {
  const starts: number[] = [];
  await Promise.all(
    pacers.map(async (pacer) => {
      for (let i = 0; i < count; i++) {
        await pacer.acquire();
        starts.push(performance.now());
      }
    }),
  );
  return starts.sort((a, b) => a - b);
}

const gaps = (starts: number[]) => starts.slice(1).map((start, i) => start - (starts[i] ?? 0));

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (message: string) => void warnings.push(message), warnings };
}

describeWithRedis('SharedPacer (real Redis)', () => {
  let a: Redis & { prefix: string };
  let b: Redis;
  beforeAll(async () => {
    // A second connection with the same prefix stands for a second process.
    [a, b] = await testRedisPair({ scripts: [PACER_SCRIPTS] });
  });
  afterAll(() => {
    a.disconnect();
    b.disconnect();
  });

  test('two processes draw from one schedule: their requests never come closer than the interval', async () => {
    // 20/s → slots 53 ms apart (52.5 ms rounded up to whole milliseconds).
    const limits = { name: 'spacing', perSecond: 20, perHour: 1_000 };
    const starts = await startTimes([new SharedPacer(a, limits), new SharedPacer(b, limits)], 5);
    expect(starts).toHaveLength(10);
    // The slots handed out (on Redis's clock) are at least one interval apart …
    const slots = (await a.zrange('f1:pacer:spacing:sent', '0', '-1', 'WITHSCORES'))
      .filter((_, i) => i % 2 === 1)
      .map(Number);
    expect(slots).toHaveLength(10);
    expect(Math.min(...gaps(slots))).toBeGreaterThanOrEqual(53);
    // … and the requests really waited for them (a late timer may shorten one gap, not the span).
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(9 * 53 - 10);

    // The same two processes pacing themselves alone would collide.
    const alone = await startTimes([new Pacer(limits), new Pacer(limits)], 5);
    expect(Math.min(...gaps(alone))).toBeLessThan(20);
  });

  test('the hourly budget is shared: the sixth request of a budget of five fails in either process', async () => {
    const limits = { name: 'budget', perSecond: 1_000, perHour: 5 };
    const [first, second] = [new SharedPacer(a, limits), new SharedPacer(b, limits)];
    for (let i = 0; i < 3; i++) await first.acquire();
    for (let i = 0; i < 2; i++) await second.acquire();
    for (const pacer of [first, second]) {
      const error = await pacer.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetExhaustedError);
      expect((error as BudgetExhaustedError).retryInMs).toBeGreaterThan(3_590_000);
      expect((error as BudgetExhaustedError).retryInMs).toBeLessThanOrEqual(3_600_000);
    }
    // Refused requests take nothing from the budget.
    expect(await a.zcard('f1:pacer:budget:sent')).toBe(5);
  });

  test("a 429's Retry-After seen by one process holds back the other", async () => {
    const limits = { name: 'defer', perSecond: 1_000, perHour: 1_000 };
    const [first, second] = [new SharedPacer(a, limits), new SharedPacer(b, limits)];
    await first.acquire();
    first.defer(300);
    // Let the deferral reach Redis before the other process asks (they do not share a connection).
    await Bun.sleep(20);
    const asked = performance.now();
    await second.acquire();
    expect(performance.now() - asked).toBeGreaterThanOrEqual(250);
  });

  test('the Ergast client shares its budget through Redis when the job context has one', async () => {
    const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
    const server = setupServer(...fake.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const config = loadConfig({
        F1_ERGAST_BASE_URL: FAKE_BASE_URL,
        F1_ERGAST_REQUESTS_PER_SECOND: '100',
        F1_ERGAST_HOURLY_BUDGET: '2',
      });
      const one = createSourceClient(config.ergast, { redis: a });
      const other = createSourceClient(config.ergast, { redis: b });
      await one.results(2021);
      expect(fake.requests).toHaveLength(1);
      await other.results(2021);
      // Both processes together have spent the budget of two.
      const error = await one.results(2021).catch((e: unknown) => e);
      expect(String(error)).toContain('hourly request budget of 2 is spent');
      expect(fake.requests).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});

test('with Redis unreachable the pacer paces this process alone and says so once', async () => {
  // Port 1: nothing listens, so every command fails at once (no offline queue).
  const down = createRedis('redis://127.0.0.1:1', { scripts: [PACER_SCRIPTS] });
  down.on('error', () => {});
  const logger = recordingLogger();
  try {
    const pacer = new SharedPacer(down, { name: 'down', perSecond: 20, perHour: 3, logger });
    const starts = await startTimes([pacer], 3);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(2 * 52.5 - 5);
    expect(await pacer.acquire().catch((e: unknown) => e)).toBeInstanceOf(BudgetExhaustedError);
    expect(logger.warnings).toEqual([
      'shared request pacing unavailable; pacing this process alone',
    ]);
  } finally {
    down.disconnect();
  }
});
