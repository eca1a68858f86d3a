/**
 * An unexpected fault inside a request fails that request alone: a 500 with a generic message (never
 * the fault's text: it may quote SQL, paths or values), and the next request is served normally.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import type { RateLimiter } from '../rate-limit/limiter.ts';
import type { Services } from '../services.ts';

const SECRET = 'SELECT secret FROM /srv/app/internal.ts';
let database: TestDatabase;
let services: Services;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  // Any back end will do; PostgreSQL (when there is one) is the quicker to create.
  database = await freshDatabase(preferredBackend());
  services = testServices({ database });
  app = testApp(services);
}, 60_000);

afterAll(() => database?.close());

const calendar = `http://test.local/trpc/races.calendar?input=${encodeURIComponent(
  JSON.stringify({ json: { season: 2021 } }),
)}`;

async function expectClean500(request: Request) {
  const res = await app.handle(request);
  const body = await res.text();
  expect(res.status).toBe(500);
  expect(body).toContain('internal error');
  expect(body).not.toContain('secret');
  expect(body).not.toContain('/srv/');
}

test('a fault before tRPC (the response cache) and one inside it (the limiter) are clean 500s', async () => {
  const responses = services.cache.responses;
  const original = responses.local.bind(responses);
  responses.local = () => {
    throw new TypeError(SECRET);
  };
  try {
    await expectClean500(new Request(calendar));
  } finally {
    responses.local = original;
  }
  expect((await app.handle(new Request(calendar))).status).toBe(200);

  const limiter: RateLimiter = services.rateLimiter;
  const check = limiter.check.bind(limiter);
  limiter.check = () => Promise.reject(new RangeError(SECRET));
  try {
    await expectClean500(new Request(calendar, { headers: { 'x-api-key': 'f1k_x' } }));
    await expectClean500(new Request('http://test.local/api/v1/drivers'));
  } finally {
    limiter.check = check;
  }
  expect((await app.handle(new Request(calendar))).status).toBe(200);
});
