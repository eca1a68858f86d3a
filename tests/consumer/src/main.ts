/**
 * Runs against a live server (URL as the first argument) and prints one JSON report. Compiled by tsc
 * and run under Node, and run as TypeScript under Bun, by tests/sdk-consumer.test.ts.
 */
import {
  createF1Client,
  errorDetails,
  type F1ErrorDetails,
  type HealthStatus,
  isF1ClientError,
} from '@f1-analytics/sdk';

const url = process.argv[2];
if (!url) throw new Error('usage: main <server base URL>');

const f1 = createF1Client({ url });

async function failure(call: () => Promise<unknown>): Promise<F1ErrorDetails & { typed: boolean }> {
  try {
    await call();
  } catch (error) {
    return { ...errorDetails(error), typed: isF1ClientError(error) };
  }
  throw new Error('the call was expected to fail');
}

const health: HealthStatus = await f1.health.query();
const batched = await Promise.all([f1.health.query(), f1.health.query()]);

const report = {
  runtime: process.versions.bun ? 'bun' : 'node',
  health: {
    status: health.status,
    database: health.database,
    timeIsDate: health.time instanceof Date,
  },
  batched: batched.length,
  errors: {
    wrongBaseUrl: await failure(() => createF1Client({ url: `${url}/nope` }).health.query()),
    unreachable: await failure(() => createF1Client({ url: 'http://127.0.0.1:1' }).health.query()),
  },
};
console.log(JSON.stringify(report));
