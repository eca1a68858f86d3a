import { expect, test } from 'bun:test';
import { printableError, printableMessage } from './printable-message.ts';

test('NUL becomes @ (abstract socket addresses), other controls \\xNN; tab and newline stay', () => {
  expect(printableMessage('write CONNECTION_CLOSED \0f1-analytics-pglite-0a1b')).toBe(
    'write CONNECTION_CLOSED @f1-analytics-pglite-0a1b',
  );
  expect(printableMessage('a\u001bb\u007fc\td\ne')).toBe('a\\x1bb\\x7fc\td\ne');
  expect(printableError(new Error('x\0y'))).toBe('x@y');
  expect(printableError('plain\0')).toBe('plain@');
});
