/**
 * Found by attacking the facade: a number filter above 32767 reached PostgreSQL as a smallint parameter
 * and failed there — a 500 on an anonymous GET. Every one is now a 400 naming the filter, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';

let database: TestDatabase;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  app = testApp(
    testServices({ database, config: testConfig({ F1_ERGAST_FACADE_RATE_LIMIT: '100000' }) }),
  );
}, 120_000);
afterAll(() => database?.close());

const PATHS = [
  '/2023/results/32768.json',
  '/2023/grid/40000/results.json',
  '/2023/fastest/999999/results.json',
  '/2023/sprint/32768.json',
  '/2023/qualifying/32768.json',
  '/2023/5/laps/32768.json',
  '/2023/5/pitstops/32768.json',
  '/2023/driverstandings/32768.json',
  '/2023/constructorstandings/32768.json',
  '/grid/65536/drivers.json',
];

describe('facade: integer filters past smallint', () => {
  for (const path of PATHS)
    test(`GET /ergast/f1${path} → 400 or 200, never 5xx`, async () => {
      const res = await app.handle(new Request(`http://facade.test/ergast/f1${path}`));
      const body = (await res.json()) as { code: string; message: string };
      expect(res.status).toBe(400);
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.message).toContain('out of range (0–32767)');
    });
});
