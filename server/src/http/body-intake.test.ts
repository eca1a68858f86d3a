/**
 * Issue 11 finding 5, second round, in-process: every body read has a deadline (408 TIMEOUT, the
 * connection closed) and the bytes being read at once share one budget (503 SERVICE_UNAVAILABLE
 * with Retry-After, before the body is read when it declares its length). The deadline and budget are
 * shortened through F1_BODY_READ_TIMEOUT and F1_BODY_BUDGET_MIB. The process-level figures (RSS,
 * drips, chunked floods) are in tests/body-slow-process.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { authServices } from '@f1/testkit/auth';
import { postJson } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp } from '@f1/testkit/server';
import { allowBodyTime, BodyBudget } from './body-budget.ts';

const KiB = 1024;

/** `size` bytes of a JSON body, then a stall (the body never ends): only a deadline answers it. */
function stalledBody(size: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent) await new Promise<void>(() => {});
      sent = true;
      controller.enqueue(new Uint8Array(size).fill(32));
    },
  });
}

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase('pglite');
}, 60_000);
afterAll(() => database.close());

const app = () =>
  testApp(authServices({ database, env: { F1_BODY_READ_TIMEOUT: '1', F1_BODY_BUDGET_MIB: '1' } }));

describe('body read deadline and budget', () => {
  for (const path of ['/trpc/auth.logout', '/api/v1/auth/logout']) {
    test(`${path}: a body that stalls is answered 408 at the deadline, closing`, async () => {
      const started = Date.now();
      const res = await postJson(app(), path, stalledBody(10 * KiB), { 'content-length': '20000' });
      expect(res.status).toBe(408);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.text()).toContain('TIMEOUT');
      // 1 s deadline; generous for a loaded machine, far below "never".
      expect(Date.now() - started).toBeLessThan(20_000);
    }, 30_000);

    test(`${path}: past the budget, a declared body is 503 + Retry-After unread`, async () => {
      const target = app();
      // Holds 700 KiB of the 1 MiB budget until its deadline.
      const first = postJson(target, path, stalledBody(KiB), {
        'content-length': String(700 * KiB),
      });
      const second = await postJson(target, path, stalledBody(KiB), {
        'content-length': String(700 * KiB),
      });
      expect(second.status).toBe(503);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(second.headers.get('connection')).toBe('close');
      expect(await second.text()).toContain('SERVICE_UNAVAILABLE');
      // A streamed body is charged as it arrives: 500 KiB passes what is left.
      const streamed = await postJson(target, path, stalledBody(500 * KiB));
      expect(streamed.status).toBe(503);
      expect((await first).status).toBe(408);
      // The budget is back once the first is refused: a body that fits is read again.
      const third = await postJson(target, path, stalledBody(600 * KiB), {
        'content-length': String(600 * KiB + 1),
      });
      expect(third.status).toBe(408);
    }, 30_000);
  }
});

describe('BodyBudget', () => {
  test('reserves up to its capacity and gives back what is released', () => {
    const budget = new BodyBudget(100);
    expect(budget.tryReserve(60)).toBe(true);
    expect(budget.tryReserve(41)).toBe(false);
    expect(budget.reserved).toBe(60);
    budget.release(60);
    budget.release(10);
    expect(budget.reserved).toBe(0);
    expect(budget.tryReserve(100)).toBe(true);
  });
});

describe('allowBodyTime', () => {
  test('a request with a body gets the longest read deadline plus a margin; others are left alone', () => {
    const calls: number[] = [];
    const server = { timeout: (_request: Request, seconds: number) => calls.push(seconds) };
    const config = { readTimeoutSeconds: 30, bulkReadTimeoutSeconds: 300, budgetBytes: 1 };
    const request = (headers: Record<string, string>) =>
      new Request('http://test.local/trpc/x', { method: 'POST', headers });
    allowBodyTime(server, request({ 'content-length': '10' }), config);
    allowBodyTime(server, request({ 'transfer-encoding': 'chunked' }), config);
    allowBodyTime(server, request({ 'content-length': '0' }), config);
    allowBodyTime(server, new Request('http://test.local/health'), config);
    allowBodyTime(null, request({ 'content-length': '10' }), config);
    expect(calls).toEqual([305, 305]);
  });
});
