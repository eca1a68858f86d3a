import { describe, expect, test } from 'bun:test';
import { formatMillis, lapTime } from './lap-time.ts';

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
