/**
 * /metrics on a real server process: Bun serves non-wildcard routes through its own router
 * (Elysia maps them to `Bun.serve({ routes })`), so counting must hold there as in `app.handle`.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { parseMetrics, sampleValue } from '@f1/server/metrics/testing';
import { type LiveServer, startLiveServer } from '@f1/testkit/live-server';

const TOKEN = 'process-metrics-token-0123456789';
let server: LiveServer;

beforeAll(async () => {
  server = await startLiveServer({ env: { F1_METRICS_TOKEN: TOKEN } });
}, 120_000);
afterAll(() => server?.stop());

test('a server process counts procedures, REST operations and health, and reports its pool', async () => {
  const circuits = `${server.url}/trpc/circuits.list?input=${encodeURIComponent('{"json":{"limit":3}}')}`;
  for (let i = 0; i < 3; i++) expect((await fetch(circuits)).status).toBe(200);
  expect((await fetch(`${server.url}/api/v1/circuits`)).status).toBe(200);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);

  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  const samples = parseMetrics(await res.text());
  const requests = (route: string) =>
    sampleValue(samples, 'f1_http_requests_total', { route, status: '200' });
  expect(requests('trpc circuits.list')).toBe(3);
  expect(requests('rest GET /api/v1/circuits')).toBe(1);
  expect(requests('/health')).toBe(1);
  expect(sampleValue(samples, 'f1_response_cache_hits_total', { level: 'local' })).toBe(2);
  expect(sampleValue(samples, 'f1_db_pool_max_connections')).toBeGreaterThanOrEqual(1);
  expect(sampleValue(samples, 'f1_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
  expect(sampleValue(samples, 'f1_db_pool_waiting')).toBe(0);
}, 60_000);
