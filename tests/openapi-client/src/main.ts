/**
 * Calls the live REST API (seeded with the 2021 mini season) through a client generated from its
 * OpenAPI document (src/schema.d.ts, written by `openapi-typescript <server>/api/openapi.json`), and
 * prints one JSON report.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

const [base, apiKey] = process.argv.slice(2);
if (!base || !apiKey) throw new Error('usage: main <server base URL> <ml_service API key>');
const api = createClient<paths>({ baseUrl: `${base}/api/v1` });

type Driver = components['schemas']['Driver'];

const health = await api.GET('/health');
const status: 'ok' | 'degraded' | 'unhealthy' | undefined = health.data?.status;

const drivers = await api.GET('/drivers', { params: { query: { season: 2021, limit: 2 } } });
const next = await api.GET('/drivers', {
  params: { query: { season: 2021, limit: 2, cursor: drivers.data?.nextCursor ?? undefined } },
});
const driver = await api.GET('/drivers/{driverId}', { params: { path: { driverId: 'driver_c' } } });
const c: Driver | undefined = driver.data;
const standings = await api.GET('/seasons/{season}/standings/drivers', {
  params: { path: { season: 2021 }, query: { round: 1 } },
});
const results = await api.GET('/seasons/{season}/races/{round}/results', {
  params: { path: { season: 2021, round: 2 } },
});
const notFound = await api.GET('/drivers/{driverId}', { params: { path: { driverId: 'nobody' } } });
const badInput = await api.GET('/seasons/{season}/standings/drivers', {
  params: { path: { season: 1900 } },
});
const unauthenticated = await api.POST('/predictions', {
  body: {
    season: 2021,
    round: 2,
    model: 'generated-client',
    version: '1',
    entries: [
      { driverId: 'driver_a', predictedPosition: 1, winProbability: 0.5, podiumProbability: 0.9 },
    ],
  },
});

const prediction = {
  season: 2021,
  round: 2,
  model: 'generated-client',
  version: '1',
  backtest: true,
  entries: [
    { driverId: 'driver_b', predictedPosition: 1, winProbability: 0.6, podiumProbability: 0.95 },
    { driverId: 'driver_c', predictedPosition: 2, winProbability: 0.2, podiumProbability: 0.85 },
    { driverId: 'driver_a', predictedPosition: 3, winProbability: 0.15, podiumProbability: 0.7 },
    { driverId: 'driver_d', predictedPosition: 4, winProbability: 0.05, podiumProbability: 0.5 },
  ],
};
const submitted = await api.POST('/predictions', {
  body: prediction,
  headers: { 'x-api-key': apiKey },
});
const readBack = await api.GET('/seasons/{season}/races/{round}/predictions', {
  params: {
    path: { season: 2021, round: 2 },
    query: { model: 'generated-client', backtest: true },
  },
});

// The generated types reject paths and parameters the API does not have.
// @ts-expect-error no such path
const missing = await api.GET('/no-such-path');
// @ts-expect-error season is a number
void api.GET('/seasons/{season}/races', { params: { path: { season: 'this year' } } });

console.log(
  JSON.stringify({
    health: { httpStatus: health.response.status, status, time: health.data?.time },
    rateLimit: health.response.headers.get('ratelimit-limit'),
    pages: [drivers.data?.items.map((d) => d.driverId), next.data?.items.map((d) => d.driverId)],
    driver: c && { driverId: c.driverId, familyName: c.familyName },
    standingsAfterRound1: standings.data?.rows.map((r) => [r.driver.driverId, r.points]),
    resultsRound2: results.data?.rows.map((r) => r.driver.driverId),
    cacheControl: results.response.headers.get('cache-control'),
    notFound: { httpStatus: notFound.response.status, error: notFound.error },
    badInput: { httpStatus: badInput.response.status, error: badInput.error },
    unauthenticated: { httpStatus: unauthenticated.response.status, error: unauthenticated.error },
    missing: { httpStatus: missing.response.status, error: missing.error },
    submitted: {
      httpStatus: submitted.response.status,
      status: submitted.data?.status,
      error: submitted.error,
    },
    readBack: readBack.data?.sets.map((set) => set.entries.map((e) => e.driverId)),
  }),
);
