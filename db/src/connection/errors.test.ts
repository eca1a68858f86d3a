import { describe, expect, test } from 'bun:test';
import { DatabaseUnavailableError, findDatabaseUnavailable, isConnectionError } from './errors.ts';

const coded = (code: unknown) => Object.assign(new Error('x'), { code });

describe('isConnectionError', () => {
  test('socket, postgres.js and server shutdown codes are connection errors', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'CONNECTION_CLOSED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08P01',
    ])
      expect([code, isConnectionError(coded(code))]).toEqual([code, true]);
  });

  test('query errors and values without a string code are not', () => {
    for (const error of [coded('23505'), coded('22012'), coded('42P01'), coded(57), new Error('x')])
      expect(isConnectionError(error)).toBe(false);
    expect(isConnectionError(null)).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});

describe('DatabaseUnavailableError', () => {
  test('names its cause (for logs and CLIs) and keeps it', () => {
    expect(new DatabaseUnavailableError().message).toBe('database unavailable; try again');
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const error = new DatabaseUnavailableError(cause);
    expect(error.message).toBe(
      'database unavailable (connect ECONNREFUSED 127.0.0.1:1); try again',
    );
    expect(error.cause).toBe(cause);
    expect(error.retryAfterSeconds).toBe(1);
  });

  test("shows the embedded socket's abstract address as @name, never a raw NUL", () => {
    const cause = Object.assign(new Error('write CONNECTION_CLOSED \0f1-analytics-pglite-abc123'), {
      code: 'CONNECTION_CLOSED',
    });
    expect(new DatabaseUnavailableError(cause).message).toBe(
      'database unavailable (write CONNECTION_CLOSED @f1-analytics-pglite-abc123); try again',
    );
  });

  test('is found through a bounded cause chain', () => {
    const outage = new DatabaseUnavailableError();
    expect(findDatabaseUnavailable(new Error('a', { cause: outage }))).toBe(outage);
    expect(findDatabaseUnavailable(new Error('a', { cause: 'text' }))).toBeNull();
    let deep: Error = outage;
    for (let i = 0; i < 10; i++) deep = new Error('wrap', { cause: deep });
    expect(findDatabaseUnavailable(deep)).toBeNull();
  });
});
