import { expect, test } from 'bun:test';
import { loadConfig } from './config.ts';

test('scheduler settings: defaults, "off", and a bad cron expression named', () => {
  const defaults = loadConfig({}).jobs;
  expect(defaults).toEqual({
    latestRoundCron: '0 */6 * * *',
    raceWeekendCron: '*/15 * * * *',
    scheduleCron: '0 4 * * *',
    validateCron: '30 4 * * *',
    queueCron: '* * * * *',
    lockTtlSeconds: 120,
    lockName: 'ingest',
  });
  expect(
    loadConfig({ F1_JOBS_VALIDATE_CRON: 'off', F1_JOBS_QUEUE_CRON: '*/5 * * * *' }).jobs,
  ).toMatchObject({
    validateCron: null,
    queueCron: '*/5 * * * *',
  });
  expect(() => loadConfig({ F1_JOBS_SCHEDULE_CRON: '*/5 * * * * *' })).toThrow(
    'Invalid configuration: F1_JOBS_SCHEDULE_CRON is invalid: expected a 5-field cron expression (minute resolution) or "off"',
  );
  expect(() => loadConfig({ F1_JOBS_LOCK_TTL: '1' })).toThrow(/F1_JOBS_LOCK_TTL/);
});
