import { expect, test } from 'bun:test';
import { EventEmitter } from 'node:events';
import type { Logger } from '@f1/core/logger';
import { silentLogger } from '@f1/core/logger';
import { describeFault, guardProcess } from './process-guard.ts';

function recording(): Logger & { lines: [string, Record<string, unknown> | undefined][] } {
  const lines: [string, Record<string, unknown> | undefined][] = [];
  return { ...silentLogger, error: (message, fields) => void lines.push([message, fields]), lines };
}

test('a fault is described in one line: class, message and the innermost frame', () => {
  const described = describeFault(new TypeError('x is not iterable'));
  expect(described.error).toBe('TypeError: x is not iterable');
  expect(described.at).toMatch(/^at .*process-guard\.test\.ts/);
  expect(describeFault('a string')).toEqual({ error: 'a string' });
  expect(Object.values(describeFault(new Error('two\nlines'))).join('')).not.toContain('\n    at');
});

test('process events are logged once each, then the handlers can be removed', () => {
  const target = new EventEmitter();
  const logger = recording();
  const guard = guardProcess(logger, Date.now, target);
  target.emit('uncaughtException', new RangeError('boom'));
  target.emit('unhandledRejection', new Error('nobody awaited'));
  expect(logger.lines.map(([message, fields]) => `${message}: ${fields?.error}`)).toEqual([
    'uncaught exception (the server keeps serving): RangeError: boom',
    'unhandled rejection (the server keeps serving): Error: nobody awaited',
  ]);
  guard.uninstall();
  expect(target.listenerCount('uncaughtException')).toBe(0);
  expect(target.listenerCount('unhandledRejection')).toBe(0);
});

test('a storm is capped at 20 lines a minute; the next line counts what was left out', () => {
  let now = 0;
  const logger = recording();
  const guard = guardProcess(logger, () => now, new EventEmitter());
  for (let i = 0; i < 25; i++) guard.fault('uncaught exception', new Error(`e${i}`));
  expect(logger.lines).toHaveLength(20);
  now = 60_000;
  guard.fault('uncaught exception', new Error('later'));
  expect(logger.lines).toHaveLength(21);
  expect(logger.lines.at(-1)?.[1]).toMatchObject({ error: 'Error: later', suppressed: '5' });
});
