#!/usr/bin/env bun
/**
 * `bun run jobs` — the ingestion scheduler (see ./scheduler.ts). `bun run jobs --once <job>` runs one job
 * now under the same lock and exits (0: ran and succeeded, 1: failed, 3: skipped, the lock was held).
 */
import { loadConfig } from '@f1/core/config';
import { openJobContext } from '../context.ts';
import { JOB_NAMES, type JobName } from './jobs.ts';
import { Scheduler } from './scheduler.ts';

const args = process.argv.slice(2);
const onceIndex = args.indexOf('--once');
const once = onceIndex >= 0 ? args[onceIndex + 1] : undefined;
if (onceIndex >= 0 && !JOB_NAMES.includes(once as JobName)) {
  console.error(`usage: bun run jobs [--once <${JOB_NAMES.join('|')}>]`);
  process.exit(2);
}

const context = await openJobContext(loadConfig());
const scheduler = new Scheduler({ context });

if (once) {
  const outcome = await scheduler.trigger(once as JobName);
  await context.close();
  process.exit(outcome === null ? 3 : outcome.ok ? 0 : 1);
}

scheduler.start();
context.logger.info('scheduler started', {
  pid: process.pid,
  jobs: scheduler.schedules().map(([name]) => name),
});
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await scheduler.stop(signal);
    await context.close();
    context.logger.info('scheduler stopped', { signal });
    process.exit(0);
  });
}
