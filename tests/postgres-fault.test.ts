/**
 * PostgreSQL outages under load, on a PostgreSQL of the test's own and a real server process: three
 * times the database is stopped (`pg_ctl stop -m immediate`, then `fast`, then `immediate`) while
 * steady load (tRPC and REST reads, transactional REST prediction submissions) runs, and restarted.
 *
 * While it is down every request must answer fast with 503 + Retry-After (no 500, no hang, no internal
 * text); once it is back every request must succeed within a few seconds and /health must say `ok`.
 * Repeating the outage catches pool connections that stay broken, and a burst after each recovery
 * catches leaked transaction connections. The figures (error %, p-max latency, recovery seconds) are
 * printed for the issue note.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { connectPostgres } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { type PrivatePostgres, startPrivatePostgres } from '@f1/testkit/private-postgres';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { describeWith, needs } from '@f1/testkit/skip';
import { type LoadRequest, type Sample, send, steadyLoad } from '@f1/testkit/steady-load';

/** "Within ~1 s" with room for a loaded machine. */
const OUTAGE_MAX_MS = 1_500;
const RECOVERY_MAX_S = 3;
const HEALTH_MAX_S = 3;
const INTERNAL_TEXT = /ECONN|postgres|CONNECT_TIMEOUT|CONNECTION_|127\.0\.0\.1|at \/|\.ts:\d/i;

const random = () => Math.random().toString(36).slice(2, 8);

function loadRequests(base: string, apiKey: string): LoadRequest[] {
  let version = 0;
  return [
    {
      kind: 'trpc read',
      build: () =>
        new Request(
          `${base}/trpc/drivers.list?input=${encodeURIComponent(JSON.stringify({ json: { search: random() } }))}`,
        ),
    },
    { kind: 'rest read', build: () => new Request(`${base}/api/v1/drivers?search=${random()}`) },
    {
      kind: 'rest submit',
      build: () =>
        new Request(`${base}/api/v1/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({
            season: MINI_SEASON,
            round: 3,
            model: 'fault',
            version: String(++version),
            entries: entriesFor(),
          }),
        }),
    },
  ];
}

interface Cycle {
  mode: 'immediate' | 'fast';
  began: number;
  stopping: number;
  stopped: number;
  starting: number;
  up: number;
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const latency = (s: Sample) => s.ended - s.started;

describeWith([needs.privatePostgres], 'PostgreSQL stopped and restarted under load', () => {
  let pg: PrivatePostgres;
  let server: ServerProcess;
  let apiKey = '';

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const setup = connectPostgres(pg.url, 2);
    try {
      await migrateToLatest(setup.db);
      await seedPredictionRaces(setup.db);
      apiKey = (await issueApiKey(setup.db, { name: 'fault', role: 'ml_service', createdBy: null }))
        .key;
    } finally {
      await setup.close();
    }
    server = await startServer({
      F1_DATABASE_URL: pg.url,
      F1_DB_POOL_SIZE: '4',
      F1_RATE_LIMIT_REQUESTS: '1000000',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
  });

  test('outages answer 503 + Retry-After fast; every request and /health recover in seconds', async () => {
    const requests = loadRequests(server.url, apiKey);
    const load = steadyLoad(requests, { workers: 6, timeoutMs: 12_000, pauseMs: 5 });
    const health = steadyLoad(
      [{ kind: 'health', build: () => new Request(`${server.url}/health`) }],
      {
        workers: 1,
        timeoutMs: 12_000,
      },
    );
    const cycles: Cycle[] = [];
    const bursts: Sample[][] = [];
    try {
      for (const mode of ['immediate', 'fast', 'immediate'] as const) {
        if (!server.alive()) break;
        const began = performance.now();
        await Bun.sleep(1_500);
        const stopping = performance.now();
        await pg.stop(mode);
        const stopped = performance.now();
        await Bun.sleep(3_000);
        const starting = performance.now();
        await pg.start();
        const up = performance.now();
        await Bun.sleep(5_000);
        cycles.push({ mode, began, stopping, stopped, starting, up });
        // Leaked or broken pool connections show as hangs when many requests need one at once.
        bursts.push(
          await Promise.all(
            Array.from({ length: 24 }, (_, i) =>
              send(requests[i % requests.length] as LoadRequest, 5_000),
            ),
          ),
        );
      }
    } finally {
      await Promise.all([load.stop(), health.stop()]);
    }

    const problems: string[] = [];
    const describeSample = (s: Sample) =>
      `${s.kind} ${s.status} after ${Math.round(latency(s))} ms: ${s.body.slice(0, 120)}`;
    for (const s of [...load.samples, ...bursts.flat()])
      if (s.status !== 200 && s.status !== 503) problems.push(`not 200/503: ${describeSample(s)}`);

    cycles.forEach((cycle, index) => {
      const name = `outage ${index + 1} (${cycle.mode})`;
      const inCycle = load.samples.filter(
        (s) => s.started >= cycle.began && s.started < cycle.up + 5_000,
      );
      const before = inCycle.filter((s) => s.ended < cycle.stopping);
      const outage = inCycle.filter(
        (s) => s.started >= cycle.stopped && s.started < cycle.starting,
      );
      const after = inCycle.filter((s) => s.started >= cycle.up);
      const failedAfter = after.filter((s) => s.status !== 200);
      const recovery = Math.max(0, ...failedAfter.map((s) => s.ended - cycle.up));
      const healthOk = health.samples.find(
        (s) => s.started >= cycle.up && s.status === 200 && s.body.includes('"status":"ok"'),
      );
      // /health and the API share the pool's circuit: once /health said ok, requests must not fail.
      const failedAfterHealthOk = healthOk
        ? after.filter((s) => s.status !== 200 && s.started >= healthOk.ended)
        : [];
      const healthOutage = health.samples.filter(
        (s) => s.started >= cycle.stopped && s.started < cycle.starting,
      );
      const errors = outage.filter((s) => s.status !== 200).length;
      const pMax = Math.max(0, ...outage.map(latency));
      console.log(
        `${name}: ${outage.length} requests while down, ${Math.round((100 * errors) / Math.max(1, outage.length))} % errors, ` +
          `p-max ${Math.round(pMax)} ms; every request ok ${seconds(recovery)} s after restart ` +
          `(${failedAfter.length} failed); /health ok after ${healthOk ? seconds(healthOk.ended - cycle.up) : 'never'} s; ` +
          `${failedAfterHealthOk.length} requests failed after /health said ok; ` +
          `burst after recovery ${bursts[index]?.filter((s) => s.status === 200).length}/24 ok`,
      );

      for (const s of before)
        if (s.status !== 200) problems.push(`${name}, before: ${describeSample(s)}`);
      if (outage.length === 0) problems.push(`${name}: no requests while down`);
      for (const s of outage) {
        if (s.status !== 503 || s.retryAfter === null || latency(s) > OUTAGE_MAX_MS)
          problems.push(`${name}, down: ${describeSample(s)} (Retry-After ${s.retryAfter})`);
        if (INTERNAL_TEXT.test(s.body)) problems.push(`${name}, internal text: ${s.body}`);
      }
      for (const s of healthOutage)
        if (s.status !== 503 || latency(s) > OUTAGE_MAX_MS)
          problems.push(`${name}, /health while down: ${describeSample(s)}`);
      if (recovery > RECOVERY_MAX_S * 1_000)
        problems.push(`${name}: requests still failing ${seconds(recovery)} s after restart`);
      if (!healthOk || healthOk.ended - cycle.up > HEALTH_MAX_S * 1_000)
        problems.push(`${name}: /health not ok within ${HEALTH_MAX_S} s of restart`);
      for (const s of failedAfterHealthOk)
        problems.push(`${name}, failed after /health said ok: ${describeSample(s)}`);
      for (const s of bursts[index] ?? [])
        if (s.status !== 200) problems.push(`${name}, burst after recovery: ${describeSample(s)}`);
    });
    if (!server.alive()) problems.unshift(`server exited: ${server.errors().slice(-2_000)}`);
    const serverErrors = server
      .errors()
      .split('\n')
      .filter((line) => line.includes('ERROR'));
    if (problems.length)
      console.log(`server errors (last 10):\n${serverErrors.slice(-10).join('\n')}`);
    // The first few say what went wrong; thousands would bury it.
    expect(problems.slice(0, 12)).toEqual([]);
    expect(problems.length).toBe(0);
  }, 120_000);
});
