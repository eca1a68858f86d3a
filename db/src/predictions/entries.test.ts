import { describe, expect, test } from 'bun:test';
import { type PredictionEntryInput, snapshotHash, validateEntries } from './entries.ts';
import { formatPath, PredictionError, throwIfInvalid } from './errors.ts';

const FIELD = new Set(['a', 'b', 'c', 'd']);

/** A valid 4-driver field: win sums to 1, podium to 3. */
function field(): PredictionEntryInput[] {
  return [
    { driverId: 'a', predictedPosition: 1, winProbability: 0.4, podiumProbability: 0.9 },
    { driverId: 'b', predictedPosition: 2, winProbability: 0.3, podiumProbability: 0.8 },
    { driverId: 'c', predictedPosition: 3, winProbability: 0.2, podiumProbability: 0.7 },
    { driverId: 'd', predictedPosition: 4, winProbability: 0.1, podiumProbability: 0.6 },
  ];
}

const messages = (entries: PredictionEntryInput[], entered = FIELD) =>
  validateEntries(entries, entered).map((i) => `${formatPath(i.path)}: ${i.message}`);

describe('validateEntries', () => {
  test('a valid field has no issues', () => {
    expect(messages(field())).toEqual([]);
  });

  test('a driver not entered in the race is named', () => {
    const entries = field();
    entries[3] = { ...field()[3], driverId: 'zz' } as PredictionEntryInput;
    expect(messages(entries)).toEqual([
      "entries[3].driverId: driver 'zz' is not entered in this race",
      "entries: one entry per entered driver is required; missing: 'd'",
    ]);
  });

  test('a driver listed twice is named with both indexes', () => {
    const entries = [...field(), { ...field()[0], predictedPosition: 5 } as PredictionEntryInput];
    expect(messages(entries)).toContain(
      "entries[4].driverId: driver 'a' appears twice (also entries[0])",
    );
  });

  test('positions must be a permutation of 1..n', () => {
    const entries = field();
    entries[1] = { ...field()[1], predictedPosition: 1 } as PredictionEntryInput;
    expect(messages(entries)).toEqual([
      'entries[1].predictedPosition: position 1 is used twice (also entries[0]); positions must be a permutation of 1..4',
    ]);
    const outOfRange = field();
    outOfRange[2] = { ...field()[2], predictedPosition: 7 } as PredictionEntryInput;
    expect(messages(outOfRange)[0]).toStartWith(
      'entries[2].predictedPosition: must be a whole number from 1 to 4',
    );
  });

  test('probabilities outside [0, 1] are rejected per field, and sums are then not checked', () => {
    const entries = field();
    entries[0] = {
      ...field()[0],
      winProbability: 1.2,
      podiumProbability: 1.2,
    } as PredictionEntryInput;
    entries[1] = { ...field()[1], pointsProbability: -0.1 } as PredictionEntryInput;
    expect(messages(entries)).toEqual([
      'entries[0].winProbability: must be between 0 and 1 (got 1.2)',
      'entries[0].podiumProbability: must be between 0 and 1 (got 1.2)',
      'entries[1].pointsProbability: must be between 0 and 1 (got -0.1)',
    ]);
  });

  test('podium below win, and points below podium, are rejected', () => {
    const entries = field();
    entries[0] = {
      ...field()[0],
      podiumProbability: 0.3,
      pointsProbability: 0.2,
    } as PredictionEntryInput;
    const found = messages(entries);
    expect(found).toContain(
      "entries[0].podiumProbability: must be at least winProbability (0.3 < 0.4) for driver 'a'",
    );
    expect(found).toContain(
      "entries[0].pointsProbability: must be at least podiumProbability for driver 'a'",
    );
  });

  test('win probabilities must sum to 1 ± 0.01', () => {
    const within = field();
    within[0] = { ...field()[0], winProbability: 0.409 } as PredictionEntryInput;
    expect(messages(within)).toEqual([]);
    const off = field();
    off[0] = { ...field()[0], winProbability: 0.42 } as PredictionEntryInput;
    expect(messages(off)).toEqual([
      'entries: winProbability must sum to 1 ± 0.01 across the field; sums to 1.02',
    ]);
  });

  test('podium probabilities must sum to 3 ± 0.03 (or the field size when smaller)', () => {
    const within = field();
    within[3] = { ...field()[3], podiumProbability: 0.625 } as PredictionEntryInput;
    expect(messages(within)).toEqual([]);
    const off = field();
    off[3] = { ...field()[3], podiumProbability: 0.5 } as PredictionEntryInput;
    expect(messages(off)).toEqual([
      'entries: podiumProbability must sum to 3 ± 0.03 across the field; sums to 2.9',
    ]);
    const two: PredictionEntryInput[] = [
      { driverId: 'a', predictedPosition: 1, winProbability: 0.6, podiumProbability: 1 },
      { driverId: 'b', predictedPosition: 2, winProbability: 0.4, podiumProbability: 1 },
    ];
    expect(messages(two, new Set(['a', 'b']))).toEqual([]);
  });

  test('predicted grid must be a whole number ≥ 1', () => {
    const entries = field();
    entries[2] = { ...field()[2], predictedGrid: 0 } as PredictionEntryInput;
    expect(messages(entries)).toEqual(['entries[2].predictedGrid: must be a whole number ≥ 1']);
  });

  test('an empty submission is rejected', () => {
    expect(messages([])).toEqual(['entries: at least one entry is required']);
  });
});

describe('snapshotHash', () => {
  test('ignores the order entries are sent in, but not their values', () => {
    const entries = field();
    expect(snapshotHash([...entries].reverse())).toBe(snapshotHash(entries));
    const changed = field();
    changed[0] = { ...field()[0], winProbability: 0.41 } as PredictionEntryInput;
    changed[1] = { ...field()[1], winProbability: 0.29 } as PredictionEntryInput;
    expect(snapshotHash(changed)).not.toBe(snapshotHash(entries));
  });
});

describe('throwIfInvalid', () => {
  test('lists the first five issues and counts the rest', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      path: ['sets', i, 'round'],
      message: 'bad',
    }));
    try {
      throwIfInvalid(issues);
      throw new Error('expected a PredictionError');
    } catch (error) {
      expect(error).toBeInstanceOf(PredictionError);
      const e = error as PredictionError;
      expect(e.code).toBe('INVALID');
      expect(e.issues).toHaveLength(7);
      expect(e.message).toBe(
        'sets[0].round: bad; sets[1].round: bad; sets[2].round: bad; sets[3].round: bad; sets[4].round: bad (and 2 more)',
      );
    }
    expect(() => throwIfInvalid([])).not.toThrow();
  });
});
