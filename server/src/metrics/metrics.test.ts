import { afterAll, describe, expect, test } from 'bun:test';
import { gunzipSync } from 'node:zlib';
import { jobLockFenceKey, jobLockKey } from '@f1/core/job-lock';
import { silentLogger } from '@f1/core/logger';
import { finishIngestionRun, startIngestionRun } from '@f1/db/ingestion/runs';
import { describeEachBackend } from '@f1/testkit/backends';
import { testConfig } from '@f1/testkit/config';
import { batchUrl, trpcUrl } from '@f1/testkit/http';
import { freshDatabase } from '@f1/testkit/postgres';
import { testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { createApp } from '../app.ts';
import { Services, type ServicesInit } from '../services.ts';
import { bearerMatches } from './metrics-routes.ts';
import { parseMetrics, type Sample, sampleValue, typesOf } from './testing.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

function metricsApp(init: Omit<ServicesInit, 'config' | 'logger'> & { token?: string | null }) {
  const { token = TOKEN, ...rest } = init;
  const config = testConfig(token ? { F1_METRICS_TOKEN: token } : {});
  const services = new Services({ config, logger: silentLogger, ...rest });
  return { services, app: createApp(services) };
}

type App = ReturnType<typeof createApp>;
const get = (app: App, url: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(url.startsWith('http') ? url : `http://test.local${url}`, { headers }));

async function scrape(app: App): Promise<{ samples: Sample[]; text: string }> {
  const res = await get(app, '/metrics', { authorization: `Bearer ${TOKEN}` });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { samples: parseMetrics(text), text };
}

const requests = (samples: Sample[], route: string, status: string) =>
  sampleValue(samples, 'f1_http_requests_total', { route, status });

test('bearerMatches: the scheme in any case, the token trimmed, inner spaces kept', () => {
  const token = 'scrape token with spaces';
  for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER \t${token}  `])
    expect(bearerMatches(header, token)).toBe(true);
  for (const header of [
    null,
    '',
    'Bearer',
    'Bearer ',
    `Bearer${token}`,
    `Basic ${token}`,
    `Bearer ${token}x`,
  ])
    expect(bearerMatches(header, token)).toBe(false);
});

describeEachBackend('/metrics', (database) => {
  test('without F1_METRICS_TOKEN there is no /metrics (404) and nothing counts', async () => {
    const { app, services } = metricsApp({ database: database(), redis: null, token: null });
    expect(services.metrics).toBeNull();
    const res = await get(app, '/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'no such route' });
  });

  test('a missing or wrong token is 401, telling nothing but how to authenticate', async () => {
    const { app } = metricsApp({ database: database(), redis: null });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
      { authorization: `Basic ${btoa(`u:${TOKEN}`)}` },
    ];
    for (const headers of attempts) {
      const res = await get(app, '/metrics', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = await res.text();
      expect(body).not.toContain('f1_');
      expect(JSON.parse(body).code).toBe('UNAUTHORIZED');
    }
    const ok = await get(app, '/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    // The scheme is case-insensitive (RFC 9110), as on the API: Prometheus configs vary.
    for (const scheme of ['bearer', 'BEARER'])
      expect((await get(app, '/metrics', { authorization: `${scheme} ${TOKEN}` })).status).toBe(
        200,
      );
    expect((await get(app, '/metrics', { authorization: `Bearer ${TOKEN} x` })).status).toBe(401);
    expect(ok.headers.get('content-type')).toStartWith('text/plain; version=0.0.4');
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  test('a scrape that accepts gzip is gzipped (Vary: Accept-Encoding); one that does not is plain', async () => {
    const { app } = metricsApp({ database: database(), redis: null });
    await get(app, '/health');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const gz = await get(app, '/metrics', { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toContain('Accept-Encoding');
    const text = gunzipSync(new Uint8Array(await gz.arrayBuffer())).toString('utf8');
    const samples = parseMetrics(text);
    expect(typesOf(text).get('f1_http_requests_total')).toBe('counter');
    expect(samples.some((s) => s.name === 'f1_http_requests_total')).toBe(true);
    const plain = await get(app, '/metrics', auth);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    expect(parseMetrics(await plain.text()).some((s) => s.name === 'f1_http_requests_total')).toBe(
      true,
    );
  });

  test('N calls of a procedure count N under its name; the response cache hits after the first', async () => {
    const { app } = metricsApp({ database: database(), redis: null });
    const N = 7;
    for (let i = 0; i < N; i++) {
      const res = await get(app, trpcUrl('circuits.list', { limit: 5 }));
      expect(res.status).toBe(200);
    }
    const { samples, text } = await scrape(app);
    expect(requests(samples, 'trpc circuits.list', '200')).toBe(N);
    expect(
      sampleValue(samples, 'f1_http_request_duration_seconds_count', {
        route: 'trpc circuits.list',
      }),
    ).toBe(N);
    const inf = sampleValue(samples, 'f1_http_request_duration_seconds_bucket', {
      route: 'trpc circuits.list',
      le: '+Inf',
    });
    expect(inf).toBe(N);
    expect(sampleValue(samples, 'f1_response_cache_misses_total')).toBe(1);
    expect(sampleValue(samples, 'f1_response_cache_hits_total', { level: 'local' })).toBe(N - 1);
    expect(sampleValue(samples, 'f1_response_cache_stores_total')).toBe(1);
    expect(sampleValue(samples, 'f1_query_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'f1_response_cache_entries')).toBe(1);
    const types = typesOf(text);
    expect(types.get('f1_http_requests_total')).toBe('counter');
    expect(types.get('f1_http_request_duration_seconds')).toBe('histogram');
    expect(types.get('f1_db_pool_max_connections')).toBe('gauge');

    // A response-cache hit moves the hit counter by one, the miss counter not at all.
    await get(app, trpcUrl('circuits.list', { limit: 5 }));
    const after = (await scrape(app)).samples;
    expect(sampleValue(after, 'f1_response_cache_hits_total', { level: 'local' })).toBe(N);
    expect(sampleValue(after, 'f1_response_cache_misses_total')).toBe(1);
  });

  test('routes are labelled by what was matched, never by the raw URL', async () => {
    const { app } = metricsApp({ database: database(), redis: null });
    const calls: [string, number][] = [
      ['/health', 200],
      ['/api/v1/circuits/no_such_circuit', 404],
      ['/api/v1/circuits/other_one', 404],
      ['/api/v1/nothing/here', 404],
      ['/nope/12345', 404],
      [trpcUrl('no.such.procedure'), 404],
      [
        batchUrl([
          ['circuits.list', {}],
          ['drivers.list', {}],
        ]),
        200,
      ],
      ['/ergast/f1/2021/drivers.json', 200],
      ['/api/f1/2021/1/results.json', 200],
      ['/ergast/f1/2021/nonsense.json', 400],
    ];
    for (const [url, status] of calls) expect((await get(app, url)).status).toBe(status);
    const { samples } = await scrape(app);
    expect(requests(samples, '/health', '200')).toBe(1);
    expect(requests(samples, 'rest GET /api/v1/circuits/:circuitId', '404')).toBe(2);
    expect(requests(samples, 'rest unmatched', '404')).toBe(1);
    expect(requests(samples, 'unmatched', '404')).toBe(1);
    expect(requests(samples, 'trpc unmatched', '404')).toBe(1);
    expect(requests(samples, 'trpc batch', '200')).toBe(1);
    expect(requests(samples, 'ergast drivers', '200')).toBe(1);
    expect(requests(samples, 'ergast results', '200')).toBe(1);
    expect(requests(samples, 'ergast unmatched', '400')).toBe(1);
    const routes = new Set(
      samples.filter((s) => s.name === 'f1_http_requests_total').map((s) => s.labels.route),
    );
    for (const route of routes) {
      expect(route).not.toMatch(/no_such|other_one|12345|2021|nonsense|no\.such/);
    }
  });

  test('a 429 counts a refusal of its policy and a request with status 429', async () => {
    const { app } = metricsApp({
      database: database(),
      redis: null,
      rateLimitOverrides: { anonymous: { limit: 2 }, ergast: { limit: 1 } },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await get(app, trpcUrl('circuits.list', { limit: 3 }))).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect((await get(app, '/ergast/f1/2021/drivers.json')).status).toBe(200);
    expect((await get(app, '/ergast/f1/2021/drivers.json')).status).toBe(429);
    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'f1_rate_limit_refusals_total', { policy: 'anonymous' })).toBe(2);
    expect(sampleValue(samples, 'f1_rate_limit_refusals_total', { policy: 'ergast' })).toBe(1);
    expect(requests(samples, 'trpc circuits.list', '429')).toBe(2);
    expect(requests(samples, 'ergast drivers', '429')).toBe(1);
  });

  test('database pool gauges are read at scrape time', async () => {
    const { app } = metricsApp({ database: database(), redis: null });
    const { samples } = await scrape(app);
    const max = sampleValue(samples, 'f1_db_pool_max_connections');
    expect(max).toBeGreaterThanOrEqual(1);
    if (database().backend === 'postgres') {
      expect(sampleValue(samples, 'f1_db_available')).toBe(1);
      const inUse = sampleValue(samples, 'f1_db_pool_connections_in_use') ?? -1;
      const idle = sampleValue(samples, 'f1_db_pool_connections_idle') ?? -1;
      expect(inUse).toBeGreaterThanOrEqual(0);
      expect(idle).toBeGreaterThanOrEqual(0);
      expect(inUse + idle).toBeLessThanOrEqual(max ?? 0);
      expect(sampleValue(samples, 'f1_db_pool_waiting')).toBe(0);
    } else {
      // An in-memory PGlite: one session and nothing more to say.
      expect(sampleValue(samples, 'f1_db_pool_connections_in_use')).toBeUndefined();
    }
  });

  test('ingestion runs are read from the database at scrape time', async () => {
    const fresh = await freshDatabase(database().backend);
    try {
      const { app } = metricsApp({ database: fresh, redis: null });
      expect(sampleValue((await scrape(app)).samples, 'f1_ingestion_runs')).toBeUndefined();
      const run = await startIngestionRun(fresh.db, {
        kind: 'schedule',
        season: 2024,
        requestedBy: 't',
      });
      await finishIngestionRun(fresh.db, {
        id: run.id,
        status: 'succeeded',
        stats: { created: 24, updated: 0, deleted: 0, unchanged: 3 },
      });
      await Bun.sleep(1_100); // the scrape memo (1 s) must not hide the new run
      const { samples } = await scrape(app);
      const labels = { kind: 'schedule', status: 'succeeded' };
      expect(sampleValue(samples, 'f1_ingestion_runs', labels)).toBe(1);
      expect(sampleValue(samples, 'f1_ingestion_rows', { ...labels, change: 'created' })).toBe(24);
      expect(
        sampleValue(samples, 'f1_ingestion_last_run_rows', { ...labels, change: 'unchanged' }),
      ).toBe(3);
      const finished = sampleValue(samples, 'f1_ingestion_last_run_finished_seconds', labels) ?? 0;
      expect(Math.abs(finished - Date.now() / 1000)).toBeLessThan(60);
    } finally {
      await fresh.close();
    }
  });
});

test('a database that cannot be read is counted as a collect error; the scrape still answers', async () => {
  const database = await freshDatabase('pglite');
  const { app } = metricsApp({ database, redis: null });
  await database.close();
  const { samples } = await scrape(app);
  expect(sampleValue(samples, 'f1_metrics_collect_errors_total', { collector: 'ingestion' })).toBe(
    1,
  );
  expect(sampleValue(samples, 'f1_ingestion_runs')).toBeUndefined();
  expect(sampleValue(samples, 'f1_db_pool_max_connections')).toBe(1);
}, 60_000);

describeWithRedis('/metrics with Redis', () => {
  const opened: { disconnect(): void }[] = [];
  afterAll(() => {
    for (const redis of opened) redis.disconnect();
  });

  test('the scheduler lock, Redis errors and a second process sharing the response cache', async () => {
    const database = await freshDatabase('pglite');
    const redis = await testServerRedis();
    opened.push(redis);
    try {
      const { app, services } = metricsApp({ database, redis });
      const lock = services.config.jobs.lockName;
      let { samples } = await scrape(app);
      expect(sampleValue(samples, 'f1_scheduler_lock_held', { lock })).toBe(0);
      expect(sampleValue(samples, 'f1_scheduler_lock_fence_token', { lock })).toBeUndefined();

      // As jobs/src/scheduler/redis-lock.ts takes it.
      await redis.set(jobLockKey(lock), 'owner-1', 'PX', 30_000);
      await redis.set(jobLockFenceKey(lock), '42');
      redis.emit('error', new Error('connection reset (simulated)'));
      await Bun.sleep(1_100);
      ({ samples } = await scrape(app));
      expect(sampleValue(samples, 'f1_scheduler_lock_held', { lock })).toBe(1);
      expect(sampleValue(samples, 'f1_scheduler_lock_fence_token', { lock })).toBe(42);
      const ttl = sampleValue(samples, 'f1_scheduler_lock_ttl_seconds', { lock }) ?? 0;
      expect(ttl).toBeGreaterThan(25);
      expect(ttl).toBeLessThanOrEqual(30);
      expect(sampleValue(samples, 'f1_redis_errors_total', { source: 'connection' })).toBe(1);

      // The first process stores the answer in Redis; a second one finds it there (a shared hit).
      // (The response cache is used only while the invalidation subscriber is live.)
      await services.cache.start();
      expect((await get(app, trpcUrl('circuits.list', { limit: 4 }))).status).toBe(200);
      const second = metricsApp({ database, redis });
      await second.services.cache.start();
      expect((await get(second.app, trpcUrl('circuits.list', { limit: 4 }))).status).toBe(200);
      const shared = (await scrape(second.app)).samples;
      expect(sampleValue(shared, 'f1_response_cache_hits_total', { level: 'shared' })).toBe(1);
      expect(sampleValue(shared, 'f1_response_cache_misses_total')).toBe(0);
      second.services.cache.close();
      services.cache.close();
    } finally {
      await database.close();
    }
  }, 20_000);
});

describe('metrics registries', () => {
  test('two apps in one process count apart', async () => {
    const a = await freshDatabase('pglite');
    try {
      const first = metricsApp({ database: a, redis: null });
      const second = metricsApp({ database: a, redis: null });
      await get(first.app, '/health');
      await get(first.app, '/health');
      await get(second.app, '/health');
      expect(requests((await scrape(first.app)).samples, '/health', '200')).toBe(2);
      expect(requests((await scrape(second.app)).samples, '/health', '200')).toBe(1);
    } finally {
      await a.close();
    }
  });
});
