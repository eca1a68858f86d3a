import { expect, test } from 'bun:test';
import { raceWeekendOn, roundsToIngest } from './calendar.ts';

const calendar = [
  { raceId: 1, round: 1, date: '2024-03-02', weekendStart: '2024-02-29' },
  { raceId: 2, round: 2, date: '2024-03-09', weekendStart: '2024-03-07' },
  { raceId: 3, round: 3, date: '2024-03-24', weekendStart: '2024-03-22' },
];
const at = (iso: string) => new Date(iso);

test('a race weekend runs from the first session through the day after the race', () => {
  expect(raceWeekendOn(calendar, at('2024-03-06T23:59:00Z'))).toBeNull();
  expect(raceWeekendOn(calendar, at('2024-03-07T00:00:00Z'))?.round).toBe(2);
  expect(raceWeekendOn(calendar, at('2024-03-10T18:00:00Z'))?.round).toBe(2);
  expect(raceWeekendOn(calendar, at('2024-03-11T00:00:00Z'))).toBeNull();
});

test('rounds to ingest: the weekend on, recent races, else the last one raced', () => {
  expect(roundsToIngest(calendar, at('2024-03-08T12:00:00Z'))).toEqual([1, 2]);
  expect(roundsToIngest(calendar, at('2024-03-12T12:00:00Z'))).toEqual([2]);
  expect(roundsToIngest(calendar, at('2024-03-20T12:00:00Z'))).toEqual([2]);
  expect(roundsToIngest(calendar, at('2024-03-23T12:00:00Z'))).toEqual([3]);
  expect(roundsToIngest(calendar, at('2024-02-01T12:00:00Z'))).toEqual([]);
  expect(roundsToIngest([], at('2024-03-08T12:00:00Z'))).toEqual([]);
});
