import { expect, test } from 'bun:test';
import { lapTimeMillis } from './lap-time.ts';

test('lap and qualifying times become milliseconds', () => {
  expect(lapTimeMillis('1:27.452')).toBe(87_452);
  expect(lapTimeMillis('59.8')).toBe(59_800);
  expect(lapTimeMillis('1:02:03.456')).toBe(3_723_456);
  expect(lapTimeMillis(' 1:30.01 ')).toBe(90_010);
  expect(lapTimeMillis('2:05')).toBe(125_000);
});

test('anything else is null', () => {
  for (const bad of ['', 'DNF', '1:27.4567', '+5.478', '0.000', '1:xx.1']) {
    expect(lapTimeMillis(bad)).toBeNull();
  }
});
