/**
 * The client against the real app in-process (no port), and its public types as types: the
 * `expectTypeOf` and `@ts-expect-error` lines below are compiled by `bun run typecheck`, so a drifting
 * output type or an input that should not compile fails CI.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'bun:test';
import { seedRaceLaps } from '@f1/testkit/fixtures/race-laps';
import { MINI_SEASON, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { createF1Client, trpcUrl } from './client.ts';
import { errorDetails, isF1ClientError } from './errors.ts';
import type {
  F1Client,
  HealthStatus,
  LapTiming,
  PitStop,
  PredictionUpdate,
  PredictionUpdateEvent,
  RaceLaps,
  RouterInputs,
  RouterOutputs,
  StandingRow,
} from './index.ts';

let database: TestDatabase;
let app: ReturnType<typeof testApp>;
const requests: { url: string; headers: Headers }[] = [];
const inProcess = async (input: string, init?: RequestInit) => {
  const request = new Request(input, init);
  requests.push({ url: request.url, headers: request.headers });
  return app.handle(request);
};

beforeAll(async () => {
  database = await freshDatabase('pglite');
  app = testApp(testServices({ database }));
}, 30_000);
afterAll(() => database.close());

describe('createF1Client', () => {
  test('queries the server through /trpc with superjson Dates', async () => {
    const f1 = createF1Client({ url: 'http://api.test/', fetch: inProcess });
    const health = await f1.health.query();
    expect(health.status).toBe('ok');
    expect(health.time).toBeInstanceOf(Date);
    expect(new URL(requests.at(-1)?.url ?? '').pathname).toBe('/trpc/health');
  });

  test('batches concurrent calls into one request', async () => {
    const f1 = createF1Client({ url: 'http://api.test', fetch: inProcess });
    const before = requests.length;
    const results = await Promise.all([f1.health.query(), f1.health.query(), f1.health.query()]);
    expect(results.map((r) => r.database)).toEqual(['ok', 'ok', 'ok']);
    expect(requests.length - before).toBe(1);
    expect(requests.at(-1)?.url).toContain('/trpc/health,health,health?batch=1');
  });

  test('sends credentials and extra headers with every call', async () => {
    const f1 = createF1Client({
      url: 'http://api.test',
      token: 'jwt-token',
      apiKey: 'f1k_key',
      headers: () => ({ 'x-request-id': 'req-42' }),
      fetch: inProcess,
    });
    await f1.health.query();
    const sent = requests.at(-1)?.headers;
    expect(sent?.get('authorization')).toBe('Bearer jwt-token');
    expect(sent?.get('x-api-key')).toBe('f1k_key');
    expect(sent?.get('x-request-id')).toBe('req-42');
  });

  test('an unreachable server rejects with a typed client error', async () => {
    const f1 = createF1Client({
      url: 'http://api.test',
      fetch: () => Promise.reject(new TypeError('connection refused')),
    });
    const error = await f1.health.query().catch((e: unknown) => e);
    expect(isF1ClientError(error)).toBe(true);
    expect(errorDetails(error)).toMatchObject({
      code: 'CLIENT_ERROR',
      message: 'connection refused',
      httpStatus: null,
    });
  });

  test('a wrong base URL is a typed error, not a hang or a parse crash', async () => {
    const f1 = createF1Client({ url: 'http://api.test/nope', fetch: inProcess });
    const error = await f1.health.query().catch((e: unknown) => e);
    expect(isF1ClientError(error)).toBe(true);
    expect(errorDetails(error)).toMatchObject({ code: 'CLIENT_ERROR', httpStatus: 404 });
  });

  test('trpcUrl appends /trpc to the base URL', () => {
    expect(trpcUrl('http://localhost:8000')).toBe('http://localhost:8000/trpc');
    expect(trpcUrl('https://f1.example/api//')).toBe('https://f1.example/api/trpc');
  });
});

describe('errorDetails', () => {
  test('any thrown value becomes a CLIENT_ERROR', () => {
    expect(errorDetails('boom')).toEqual({
      code: 'CLIENT_ERROR',
      message: 'boom',
      httpStatus: null,
      fieldErrors: {},
      formErrors: [],
    });
    expect(isF1ClientError(new Error('x'))).toBe(false);
  });
});

describe('races.laps and races.pitStops', () => {
  beforeAll(async () => {
    await seedRaceLaps(database.db, await seedReadFixtures(database.db));
  }, 30_000);

  test('a page of lap timings with its total and cursor; pit stops with their durations', async () => {
    const f1 = createF1Client({ url: 'http://api.test', fetch: inProcess });
    const race = { season: MINI_SEASON, round: 1 };
    const first: RaceLaps = await f1.races.laps.query({ ...race, driverId: 'driver_a', limit: 2 });
    expect([first.total, first.items.map((t) => [t.lap, t.time?.text])]).toEqual([
      3,
      [
        [1, '1:39.019'],
        [2, '1:35.200'],
      ],
    ]);
    const rest = await f1.races.laps.query({
      ...race,
      driverId: 'driver_a',
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect([rest.items.map((t) => t.lap), rest.nextCursor]).toEqual([[3], null]);
    const stops = await f1.races.pitStops.query(race);
    expect(
      stops.rows.map((s) => [s.driver.driverId, s.timeOfDay, s.duration?.text ?? null]),
    ).toEqual([
      ['driver_a', '9:59:58', '25.636'],
      ['driver_c', '10:01:07', '1:02.892'],
      ['driver_b', '10:01:09', null],
      ['driver_a', '10:02:30', '22.050'],
    ]);
    const missing = await f1.races.pitStops
      .query({ season: MINI_SEASON, round: 9 })
      .catch(errorDetails);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
  });

  test('their types come from the router', () => {
    expectTypeOf<LapTiming['time']>().toEqualTypeOf<{ millis: number; text: string } | null>();
    expectTypeOf<LapTiming['position']>().toEqualTypeOf<number | null>();
    expectTypeOf<PitStop['timeOfDay']>().toEqualTypeOf<string>();
    expectTypeOf<PitStop['duration']>().toEqualTypeOf<{ millis: number; text: string } | null>();
    expectTypeOf<RouterInputs['races']['laps']['driverId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RaceLaps['total']>().toEqualTypeOf<number>();
  });
});

describe('types', () => {
  test('outputs, inputs and the client are typed from the server router', () => {
    expectTypeOf<HealthStatus>().toEqualTypeOf<RouterOutputs['health']>();
    expectTypeOf<HealthStatus['time']>().toEqualTypeOf<Date>();
    expectTypeOf<HealthStatus['status']>().toEqualTypeOf<'ok' | 'degraded' | 'unhealthy'>();
    expectTypeOf<RouterInputs['health']>().toEqualTypeOf<void>();
    expectTypeOf<ReturnType<F1Client['health']['query']>>().resolves.toEqualTypeOf<HealthStatus>();
    const f1 = createF1Client({ url: 'http://api.test' });
    // @ts-expect-error health is a query, not a mutation
    expect(typeof f1.health.mutate).toBe('function');
    // @ts-expect-error no such procedure
    expect(typeof f1.nope.query).toBe('function');
    expectTypeOf<PredictionUpdate['kind']>().toEqualTypeOf<'predictions' | 'accuracy'>();
    expectTypeOf<PredictionUpdateEvent>().toEqualTypeOf<{ id: string; data: PredictionUpdate }>();
    expectTypeOf<StandingRow['driver']['driverId']>().toEqualTypeOf<string>();
    // @ts-expect-error url is required
    expect(() => createF1Client({ token: 't' })).toThrow();
  });
});

describe('subscriptions without an EventSource', () => {
  test('fail with what to do, not "undefined is not a constructor"', async () => {
    const f1 = createF1Client({ url: 'http://api.test', fetch: inProcess });
    const error = await new Promise<unknown>((resolve) => {
      const sub = f1.predictions.onUpdate.subscribe(
        { season: 2021, round: 1 },
        {
          onError: (e) => {
            sub.unsubscribe();
            resolve(e);
          },
        },
      );
    });
    expect(errorDetails(error).message).toContain('pass one to createF1Client({ EventSource })');
  });
});
