import { expect, test } from 'bun:test';
import { ConfigError } from '../config.ts';
import { UsageError } from './arguments.ts';
import {
  type CliUsage,
  formatUsage,
  helpText,
  isOperatorError,
  reportOperatorError,
  unknownVerb,
} from './usage.ts';

const CLI: CliUsage = {
  program: 'bun run tool',
  summary: 'Does things.',
  verbs: [
    { name: 'one', synopsis: '<year>', summary: 'the first', details: '<year>  a season' },
    {
      name: 'two-with-a-long-name',
      synopsis: '<dir> [<dir>…] [--seasons <a,b>] [--more]',
      summary: 'the second',
    },
  ],
  details: 'exit codes: 0, 1, 2',
};

test('the overview lists every verb, wrapping a long synopsis onto its own line', () => {
  expect(formatUsage(CLI)).toBe(
    [
      'usage: bun run tool <command> [--help]',
      '',
      '  Does things.',
      '',
      'commands:',
      `  one <year>${' '.repeat(26)}  the first`,
      '  two-with-a-long-name <dir> [<dir>…] [--seasons <a,b>] [--more]',
      `  ${' '.repeat(36)}  the second`,
      '',
      "bun run tool <command> --help shows a command's options.",
      '',
      '  exit codes: 0, 1, 2',
      '',
    ].join('\n'),
  );
  expect(formatUsage({ program: 'bun run x', synopsis: '[--runs <n>]', summary: 'X.' })).toBe(
    'usage: bun run x [--runs <n>]\n\n  X.\n',
  );
});

test('helpText: the verb named first gets its page, anything else the overview, no --help null', () => {
  expect(helpText(CLI, ['one', '--help'])).toBe(
    'usage: bun run tool one <year>\n\n  the first\n\n  <year>  a season\n',
  );
  expect(helpText(CLI, ['-h'])).toBe(formatUsage(CLI));
  expect(helpText(CLI, ['nope', '-h'])).toBe(formatUsage(CLI));
  expect(helpText(CLI, ['one', '2024'])).toBeNull();
});

test('operator errors: one line, the help hint for usage errors, exit 2', () => {
  expect(unknownVerb(CLI, 'three').message).toBe(
    'unknown command "three": expected one of one, two-with-a-long-name',
  );
  expect(unknownVerb(CLI, undefined).message).toStartWith('a command is missing: expected one of');
  const written: string[] = [];
  const stderr = { write: (t: string) => written.push(t) };
  expect(reportOperatorError(new UsageError('bad'), stderr, { cli: CLI, verb: 'one' })).toBe(2);
  expect(written.join('')).toBe('bad\n(bun run tool one --help shows the usage)\n');
  written.length = 0;
  reportOperatorError(new ConfigError('F1_X', 'is invalid'), stderr, { cli: CLI });
  expect(written.join('')).toBe('Invalid configuration: F1_X is invalid\n');
  expect(isOperatorError(new UsageError('x'))).toBe(true);
  expect(isOperatorError(new Error('x'))).toBe(false);
});
