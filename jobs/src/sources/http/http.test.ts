import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { manualClock } from '../jolpica/testing.ts';
import { SourceError } from './errors.ts';
import { retryAfterMs, SourceHttp } from './http.ts';

const URL_OK = 'https://source.test/f1/2024.json';
let answers: (() => Response | Promise<Response>)[] = [];
const server = setupServer(
  http.get('https://source.test/*', async () => {
    const next = answers.shift();
    return next ? next() : HttpResponse.json({ ok: true });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  answers = [];
});
afterAll(() => server.close());

function client(options: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {}) {
  const clock = manualClock(Date.now());
  const source = new SourceHttp({
    timeoutMs: 200,
    retryAttempts: 3,
    requestsPerSecond: 1000,
    hourlyBudget: 1000,
    backoffBaseMs: 400,
    random: () => 0.5,
    clock,
    ...options,
  });
  // Only waits longer than pacing are retry waits.
  return { source, retryWaits: () => clock.waits.filter((ms) => ms > 5) };
}

test('Retry-After in seconds or as an HTTP date', () => {
  expect(retryAfterMs('3', 0)).toBe(3000);
  expect(retryAfterMs('0.5', 0)).toBe(500);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  expect(retryAfterMs('soon', 0)).toBeNull();
  expect(retryAfterMs(null, 0)).toBeNull();
});

test('429 with Retry-After waits exactly that long, then succeeds', async () => {
  const { source, retryWaits } = client();
  answers = [
    () =>
      HttpResponse.json(
        { detail: 'Request was throttled.' },
        { status: 429, headers: { 'retry-after': '2' } },
      ),
  ];
  expect(await source.getJson(URL_OK)).toEqual({ ok: true });
  expect(retryWaits()).toEqual([2000]);
  expect(source.stats).toEqual({ requests: 2, throttled: 1, retries: 1 });
});

test('429 without Retry-After, 503 and dropped connections back off exponentially with jitter', async () => {
  const { source, retryWaits } = client();
  answers = [
    () => HttpResponse.json({ detail: 'throttled' }, { status: 429 }),
    () => HttpResponse.json({ detail: 'down' }, { status: 503 }),
    () => HttpResponse.error(),
  ];
  expect(await source.getJson(URL_OK)).toEqual({ ok: true });
  // Full jitter with random() = 0.5: half of 400, 800, 1600.
  expect(retryWaits()).toEqual([200, 400, 800]);
  expect(source.stats).toEqual({ requests: 4, throttled: 1, retries: 3 });
});

test('slow answers time out and malformed JSON is retried', async () => {
  const { source } = client();
  answers = [
    async () => {
      await delay(1_000);
      return HttpResponse.json({ late: true });
    },
    () => new HttpResponse('{"MRData": {', { headers: { 'content-type': 'application/json' } }),
  ];
  expect(await source.getJson(URL_OK)).toEqual({ ok: true });
  expect(source.stats.retries).toBe(2);
});

test('when retries run out the error names the URL, the cause and the attempts', async () => {
  const { source } = client({ retryAttempts: 2 });
  answers = [1, 2, 3].map(
    () => () => HttpResponse.json({}, { status: 503, statusText: 'Service Unavailable' }),
  );
  const error = await source.getJson(URL_OK).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).toBe(
    `GET ${URL_OK} failed after 3 attempts: HTTP 503 Service Unavailable`,
  );
  expect((error as SourceError).status).toBe(503);

  const dropped = client({ retryAttempts: 1 });
  answers = [() => HttpResponse.error(), () => HttpResponse.error()];
  await expect(dropped.source.getJson(URL_OK)).rejects.toThrow(
    /failed after 2 attempts: connection failed/,
  );

  const slow = client({ retryAttempts: 0, timeoutMs: 20 });
  answers = [
    async () => {
      await delay(500);
      return HttpResponse.json({});
    },
  ];
  await expect(slow.source.getJson(URL_OK)).rejects.toThrow(
    `GET ${URL_OK} failed: no answer within 20 ms`,
  );
});

test('other 4xx fail at once; a Retry-After beyond the cap is not waited for', async () => {
  const { source } = client();
  answers = [
    () => HttpResponse.json({ detail: 'Not found.' }, { status: 404, statusText: 'Not Found' }),
  ];
  await expect(source.getJson(URL_OK)).rejects.toThrow(
    `GET ${URL_OK} failed: HTTP 404 Not Found: {"detail":"Not found."}`,
  );
  expect(source.stats.requests).toBe(1);

  const capped = client({ maxRetryAfterMs: 60_000 });
  answers = [() => HttpResponse.json({}, { status: 429, headers: { 'retry-after': '3600' } })];
  await expect(capped.source.getJson(URL_OK)).rejects.toThrow(
    /HTTP 429 Too Many Requests \(Retry-After 3600000 ms\)/,
  );
  expect(capped.retryWaits()).toEqual([]);
});

test('the hourly budget stops requests with a clear error', async () => {
  const { source } = client({ hourlyBudget: 1 });
  await source.getJson(URL_OK);
  await expect(source.getJson(URL_OK)).rejects.toThrow(
    `GET ${URL_OK} failed: hourly request budget of 1 is spent`,
  );
  expect(source.stats.requests).toBe(1);
});
