import { afterEach, describe, expect, spyOn, test } from 'bun:test';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  const out = spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = spyOn(process.stderr, 'write').mockImplementation(() => true);
  afterEach(() => {
    out.mockClear();
    err.mockClear();
  });

  const written = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0]));

  test('JSON lines carry time, level, message and fields', () => {
    const log = createLogger({ level: 'info', json: true });
    log.info('ingested', { season: 2024, rows: 479 });
    const [line] = written(out);
    const parsed = JSON.parse(line ?? '');
    expect(parsed).toMatchObject({ level: 'info', message: 'ingested', season: 2024, rows: 479 });
    expect(new Date(parsed.time).getTime()).not.toBeNaN();
  });

  test('levels below the threshold are dropped; warn and error go to stderr', () => {
    const log = createLogger({ level: 'warn', json: false });
    log.debug('d');
    log.info('i');
    log.warn('careful', { a: 1 });
    log.error('broken');
    expect(written(out)).toEqual([]);
    expect(written(err)).toEqual(['WARN  careful {"a":1}\n', 'ERROR broken\n']);
  });

  test('silent writes nothing at all', () => {
    const log = createLogger({ level: 'silent', json: true });
    log.error('nothing');
    expect(written(out).length + written(err).length).toBe(0);
  });

  test('debug level writes debug lines as text', () => {
    createLogger({ level: 'debug', json: false }).debug('details');
    expect(written(out)).toEqual(['DEBUG details\n']);
  });
});
