import { expect, test } from 'bun:test';
import {
  choiceArgument,
  expectPositionals,
  FIRST_SEASON,
  integerArgument,
  lastSeason,
  parseCommandLine,
  seasonArgument,
  seasonRangeArguments,
  UsageError,
  wantsHelp,
} from './arguments.ts';

const NOW = new Date('2026-03-01T00:00:00Z');

test('wantsHelp: --help or -h before a -- terminator', () => {
  expect(wantsHelp(['season', '--help'])).toBe(true);
  expect(wantsHelp(['-h'])).toBe(true);
  expect(wantsHelp(['season', '2024'])).toBe(false);
  expect(wantsHelp(['--', '--help'])).toBe(false);
});

test('parseCommandLine: strict options; the parser errors become one-line usage errors', () => {
  expect(parseCommandLine(['a', '--runs', '3'], { runs: { type: 'string' } })).toMatchObject({
    values: { runs: '3' },
    positionals: ['a'],
  });
  expect(parseCommandLine(['-h'], {}).values.help).toBe(true);
  expect(() => parseCommandLine(['--bogus'], {})).toThrow(new UsageError('unknown option --bogus'));
  expect(() => parseCommandLine(['-z'], {})).toThrow('unknown option -z');
  expect(() => parseCommandLine(['--runs'], { runs: { type: 'string' } })).toThrow(
    "Option '--runs <value>' argument missing",
  );
  expect(() => parseCommandLine(['--runs', '-1'], { runs: { type: 'string' } })).toThrow(
    new UsageError(
      '--runs is followed by a value that starts with "-" (no option here takes a negative number; write --runs=<value> to pass it as it is)',
    ),
  );
  // Passed as --runs=-1 the value reaches the argument's own check, which names the range.
  const { values } = parseCommandLine(['--runs=-1'], { runs: { type: 'string' } });
  expect(() => integerArgument('--runs', values.runs, { min: 1, max: 10 })).toThrow(
    '--runs must be a whole number from 1 to 10, got "-1"',
  );
});

test('integerArgument names the argument, the range and what was given', () => {
  const range = { min: 1, max: 10 };
  expect(integerArgument('--runs', '7', range)).toBe(7);
  expect(() => integerArgument('--runs', '0', range)).toThrow(
    '--runs must be a whole number from 1 to 10, got "0"',
  );
  expect(() => integerArgument('--runs', '2.5', range)).toThrow('got "2.5"');
  expect(() => integerArgument('--runs', '-1', range)).toThrow('got "-1"');
  expect(() => integerArgument('--runs', undefined, range)).toThrow(
    '--runs is missing: expected a whole number from 1 to 10',
  );
});

test('seasons: 1950 … next year, never clamped', () => {
  expect(lastSeason(NOW)).toBe(2027);
  expect(FIRST_SEASON).toBe(1950);
  expect(seasonArgument('<year>', '1950', NOW)).toBe(1950);
  expect(seasonArgument('<year>', '2027', NOW)).toBe(2027);
  for (const bad of ['1949', '1800', '2028', '24', 'soon', '02024']) {
    expect(() => seasonArgument('<year>', bad, NOW)).toThrow(
      `<year> must be a season from 1950 to 2027, got "${bad}"`,
    );
  }
  expect(() => seasonArgument('<year>', undefined, NOW)).toThrow(
    '<year> is missing: expected a season from 1950 to 2027, e.g. 2024',
  );
  expect(seasonArgument('<year>', String(lastSeason()))).toBe(lastSeason());
});

test('season ranges: both in range, from not after to', () => {
  const names: [string, string] = ['<from>', '<to>'];
  expect(seasonRangeArguments(names, ['2015', '2024'], NOW)).toEqual({ from: 2015, to: 2024 });
  expect(seasonRangeArguments(names, ['2024', '2024'], NOW)).toEqual({ from: 2024, to: 2024 });
  expect(() => seasonRangeArguments(names, ['1800', '2024'], NOW)).toThrow(
    '<from> must be a season from 1950 to 2027, got "1800"',
  );
  expect(() => seasonRangeArguments(names, ['2024', '2015'], NOW)).toThrow(
    '<from> (2024) must not be after <to> (2015)',
  );
});

test('choiceArgument and expectPositionals', () => {
  expect(choiceArgument('--report', 'json', ['table', 'json'])).toBe('json');
  expect(() => choiceArgument('--report', 'xml', ['table', 'json'])).toThrow(
    '--report must be one of table, json, got "xml"',
  );
  expect(() => choiceArgument('--report', undefined, ['table', 'json'])).toThrow(
    '--report is missing: expected one of table, json',
  );
  expect(() => expectPositionals('backtest', ['2021'], ['<from>', '<to>'])).toThrow(
    'backtest takes <from> <to>, got 1 (2021)',
  );
  expect(() => expectPositionals('status', ['x', 'y'], [])).toThrow(
    'status takes no arguments, got 2 (x y)',
  );
  expect(() => expectPositionals('new', [], ['<name>'])).toThrow('new takes <name>, got none');
  expect(() => expectPositionals('weather', ['2024'], ['<year>', '[<round>]'], 1)).not.toThrow();
});
