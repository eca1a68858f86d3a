import { describe, expect, test } from 'bun:test';
import { formatDuration, formatMillis, lapTime } from './lap-time.ts';

describe('formatMillis', () => {
  test.each([
    [89_708, '1:29.708'],
    [5_036_736, '1:23:56.736'],
    [60_000, '1:00.000'],
    [59_001, '0:59.001'],
    [3_600_000, '1:00:00.000'],
  ])('%d ms → %s', (millis, text) => {
    expect(formatMillis(millis)).toBe(text);
  });
  test('lapTime keeps nulls', () => {
    expect(lapTime(null)).toBeNull();
    expect(lapTime(89_708)).toEqual({ millis: 89_708, text: '1:29.708' });
  });
});

describe('formatDuration (pit stops, as the source prints them)', () => {
  test.each([
    [25_636, '25.636'],
    [12_897, '12.897'],
    [9_050, '9.050'],
    [59_999, '59.999'],
    [60_172, '1:00.172'],
    [734_306, '12:14.306'],
  ])('%d ms → %s', (millis, text) => {
    expect(formatDuration(millis)).toBe(text);
  });
});
