import { expect, test } from 'bun:test';
import { HOUR_MS } from '../sources/http/pacer.ts';
import { estimateSeasonRequests, etaMs, formatDuration } from './estimate.ts';

test('a season costs schedule + page + results, sprint and qualifying pages (empty ones cost one)', () => {
  // 1950: ~190 result rows (2 pages), no sprint, no qualifying (1 request each for the empty lists).
  expect(estimateSeasonRequests(1950)).toBe(2 + 2 + 1 + 1);
  // 2023 really costs 14 (README, tests/ingest-api-history): 5 results, 2 sprint, 5 qualifying pages.
  expect(estimateSeasonRequests(2023)).toBe(14);
  let history = 0;
  for (let season = 1950; season <= 2024; season++) history += estimateSeasonRequests(season);
  // The Ergast export's real figure for 1950–2024 is 697: the model is within 5 %.
  expect(Math.abs(history - 697) / 697).toBeLessThan(0.05);
});

test('the ETA: paced while the hour has room, then the hourly budget sets the pace', () => {
  const budget = { perSecond: 4, perHour: 500, usedThisHour: 0 };
  // 100 requests at 4/s (5 % margin): 26.25 s.
  expect(etaMs(100, budget)).toBeCloseTo(26_250, 0);
  // 1,000 requests: 500 now, 500 more an hour later.
  expect(etaMs(1_000, budget)).toBeCloseTo(500 * 262.5 + HOUR_MS, 0);
  // 300 already used this hour: only 200 go at once.
  expect(etaMs(400, { ...budget, usedThisHour: 300 })).toBeCloseTo(
    200 * 262.5 + (200 / 500) * HOUR_MS,
    0,
  );
  // Over budget already (a seeded hour): everything waits.
  expect(etaMs(500, { ...budget, usedThisHour: 600 })).toBeCloseTo(HOUR_MS, 0);
});

test('durations read as seconds, minutes, hours', () => {
  expect(formatDuration(12_400)).toBe('12 s');
  expect(formatDuration(12 * 60_000)).toBe('12 min');
  expect(formatDuration(85 * 60_000)).toBe('1 h 25 min');
});
