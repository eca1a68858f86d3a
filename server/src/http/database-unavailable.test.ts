/**
 * An unreachable PostgreSQL on every entry point (in-process app, a pool pointed at a closed port):
 * 503 SERVICE_UNAVAILABLE with Retry-After and a fixed message — never 500, never the driver's text.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { connectPostgres } from '@f1/db/connection/connect';
import { DatabaseUnavailableError } from '@f1/db/connection/errors';
import { jsonBody } from '@f1/testkit/http';
import { testApp, testServices } from '@f1/testkit/server';
import { newApiKey } from '../auth/secrets.ts';
import type { OverallHealth } from '../health.ts';
import { databaseRetryAfter, retryAfterHeader } from './database-unavailable.ts';

/** Nothing listens on port 1. */
const database = connectPostgres('postgres://postgres@127.0.0.1:1/none', 2);
const app = testApp(testServices({ database }));
afterAll(() => database.close());

const INTERNAL = /ECONN|127\.0\.0\.1|:1\b|postgres|CONNECT/i;
const input = (json: unknown) => encodeURIComponent(JSON.stringify({ json }));
const call = (path: string, init?: RequestInit) =>
  app.handle(new Request(`http://test.local${path}`, init));

async function expectUnavailable(res: Response): Promise<string> {
  const text = await res.text();
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(text).toContain('SERVICE_UNAVAILABLE');
  expect(text).toContain('database unavailable; try again');
  expect(text).not.toMatch(INTERNAL);
  return text;
}

describe('PostgreSQL unreachable', () => {
  test('tRPC queries (single and batched) and mutations answer 503 + Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await expectUnavailable(await call(`/trpc/drivers.list?input=${input({ search: `x${i}` })}`));
      expect(performance.now() - started).toBeLessThan(2_500);
    }
    const batch = await call(
      `/trpc/drivers.list,teams.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: { search: 'b' } }, 1: { json: {} } }))}`,
    );
    const body = JSON.parse(await expectUnavailable(batch)) as {
      error: { json: { data: { httpStatus: number; code: string } } };
    }[];
    expect(body.map((r) => r.error.json.data)).toEqual([
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 }),
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 }),
    ]);
    await expectUnavailable(
      await call('/trpc/auth.login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { email: 'a@example.test', password: 'long enough pw' } }),
      }),
    );
  });

  test('authentication that needs the database (an API key) answers 503, not 500', async () => {
    await expectUnavailable(
      await call('/trpc/apiKeys.list', { headers: { 'x-api-key': newApiKey().key } }),
    );
  });

  test('REST answers 503 + Retry-After with the one error shape', async () => {
    const res = await call('/api/v1/drivers?search=abc');
    expect(JSON.parse(await expectUnavailable(res))).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'database unavailable; try again',
    });
  });

  test('/health answers unhealthy (503) at once', async () => {
    const started = performance.now();
    const res = await call('/health');
    expect(res.status).toBe(503);
    const body = await jsonBody<OverallHealth>(res);
    expect(body.status).toBe('unhealthy');
    expect(body.database.status).toBe('down');
    expect(body.database.error).toStartWith('database unavailable (');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('retry-after helpers', () => {
  test('find an outage through wrapping errors, and only an outage', () => {
    const wrapped = new Error('procedure failed', {
      cause: new Error('inner', { cause: new DatabaseUnavailableError() }),
    });
    expect(databaseRetryAfter(wrapped)).toBe(1);
    expect(databaseRetryAfter(new Error('other'))).toBeNull();
    expect(databaseRetryAfter('text')).toBeNull();
    expect(retryAfterHeader([new Error('x'), wrapped])).toEqual({ 'retry-after': '1' });
    expect(retryAfterHeader([new Error('x')])).toBeNull();
  });
});
