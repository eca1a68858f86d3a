/**
 * Redis killed (SIGKILL) and restarted under load, against a real server process on a redis-server of
 * the test's own (the shared one is never touched). Per README: reads fail open to the database
 * (anonymous and API-key reads keep answering 200), token authentication fails closed (503 from
 * `auth.me`), nothing
 * answers 500 and the process stays up; once Redis is back the server uses it again without a restart.
 * The private Redis keeps nothing across the kill, so sessions made before it are gone afterwards.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Redis, waitForRedis } from '@f1/core/redis';
import { createServerRedis } from '@f1/server/redis';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { type PrivateRedis, startPrivateRedis } from '@f1/testkit/private-redis';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { type ReadFixtureCallers, readFixtureCallers } from '@f1/testkit/read-fixture-callers';
import { describeWith, needs } from '@f1/testkit/skip';

const WORKERS = 8;
const OUTAGE_MS = 3_000;
/** Generous for a loaded machine: the client retries at most every 2 s. */
const RECOVERY_BOUND_S = 10;
const RESULTS = `/trpc/races.results?input=${encodeURIComponent(
  JSON.stringify({ json: { season: MINI_SEASON, round: 1 } }),
)}`;
/** Public procedures run anonymously when a token cannot be checked: the token's own read is `auth.me`. */
const PATHS = { anonymous: RESULTS, 'api key': RESULTS, jwt: '/trpc/auth.me' } as const;

type Kind = 'anonymous' | 'api key' | 'jwt';
interface Sample {
  kind: Kind;
  startedAt: number;
  status: number;
  /** Whether the limiter counted it in Redis (it sends no headers while failing open). */
  counted: boolean;
}

describeWith([needs.postgres, needs.redisServer], 'Redis killed and restarted under load', () => {
  let callers: ReadFixtureCallers;
  let redis: PrivateRedis;
  let server: ServerProcess;
  let testConnection: Redis;
  const prefix = `f1t:${process.pid}:redis-fault:`;

  beforeAll(async () => {
    callers = await readFixtureCallers('fault');
    redis = await startPrivateRedis();
    testConnection = createServerRedis(redis.url, { keyPrefix: prefix });
    testConnection.on('error', () => {});
    await waitForRedis(testConnection);
    server = await startServer({
      F1_DATABASE_URL: callers.database.url ?? '',
      F1_DB_POOL_SIZE: '4',
      F1_REDIS_URL: redis.url,
      F1_REDIS_KEY_PREFIX: prefix,
      F1_RATE_LIMIT_REQUESTS: '1000000',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    testConnection?.disconnect();
    await redis?.stop();
    await callers?.database.close();
  });

  /** An access token from `auth.login`'s own code, on the test's connection to the private Redis. */
  async function freshToken(): Promise<string> {
    await waitForRedis(testConnection, 10_000);
    return callers.accessToken(testConnection);
  }

  test('reads fail open, tokens fail closed with 503, no 500 and no crash; Redis is used again soon after it is back', async () => {
    let token = await freshToken();
    const headers = (kind: Kind): Record<string, string> =>
      kind === 'api key'
        ? { 'x-api-key': callers.apiKey }
        : kind === 'jwt'
          ? { authorization: `Bearer ${token}` }
          : {};
    const samples: Sample[] = [];
    let running = true;
    const worker = async (offset: number) => {
      const kinds: Kind[] = ['anonymous', 'api key', 'jwt'];
      for (let i = offset; running; i++) {
        const kind = kinds[i % kinds.length] ?? 'anonymous';
        const startedAt = performance.now();
        let status = 0;
        let counted = false;
        try {
          const res = await fetch(`${server.url}${PATHS[kind]}`, {
            headers: headers(kind),
            signal: AbortSignal.timeout(15_000),
          });
          await res.arrayBuffer();
          status = res.status;
          counted = res.headers.has('ratelimit-limit');
        } catch {
          status = 0; // the connection failed: the process died or hung
        }
        samples.push({ kind, startedAt, status, counted });
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));

    await Bun.sleep(1_000);
    await redis.stop();
    const killedAt = performance.now();
    await Bun.sleep(OUTAGE_MS);
    const restartAt = performance.now();
    await redis.restart();
    const upAt = performance.now();

    // Recovered: an API-key read is counted by the limiter in Redis again and /health is `ok`.
    let recoveredAt = Number.NaN;
    while (performance.now() - restartAt < 30_000) {
      const res = await fetch(`${server.url}${RESULTS}`, {
        headers: { 'x-api-key': callers.apiKey },
      });
      await res.arrayBuffer();
      const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string };
      if (res.headers.has('ratelimit-limit') && health.status === 'ok') {
        recoveredAt = performance.now();
        break;
      }
      await Bun.sleep(50);
    }
    // Sessions did not survive the non-persistent Redis: log in again, then keep the load on.
    token = await freshToken();
    const tokenAt = performance.now();
    await Bun.sleep(1_000);
    running = false;
    await load;

    const within = (from: number, to: number) =>
      samples.filter((s) => s.startedAt >= from && s.startedAt < to);
    const errorPercent = (list: Sample[]) =>
      list.length ? (100 * list.filter((s) => s.status !== 200).length) / list.length : 0;
    // Requests started once Redis was dead and before it was started again (later ones may already
    // reach the new, empty Redis: their sessions are gone, a 401).
    const outage = within(killedAt, restartAt);
    const byKind = (list: Sample[], kind: Kind) => list.filter((s) => s.kind === kind);
    const recoverySeconds = (recoveredAt - restartAt) / 1000;
    const statusCounts = (list: Sample[]) =>
      Object.entries(Object.groupBy(list, (s) => String(s.status)))
        .map(([code, group]) => `${code}×${group?.length ?? 0}`)
        .join(' ');
    console.log(
      `redis fault: ${samples.length} requests; during the ${OUTAGE_MS / 1000} s outage ` +
        `${outage.length} requests, ${errorPercent(outage).toFixed(1)} % not 200 ` +
        `(anonymous ${errorPercent(byKind(outage, 'anonymous')).toFixed(1)} %, ` +
        `API key ${errorPercent(byKind(outage, 'api key')).toFixed(1)} %, ` +
        `JWT ${errorPercent(byKind(outage, 'jwt')).toFixed(1)} %: ${statusCounts(byKind(outage, 'jwt'))}); ` +
        `redis-server up ${((upAt - restartAt) / 1000).toFixed(2)} s after its restart, the server ` +
        `back on it ${recoverySeconds.toFixed(2)} s after the restart; ` +
        `after recovery ${errorPercent(within(tokenAt, Number.POSITIVE_INFINITY)).toFixed(1)} % not 200`,
    );

    // Never a 500, never a dropped connection, and the process is up.
    expect(samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503))).toEqual(
      [],
    );
    expect(server.alive()).toBe(true);
    // Only token authentication fails during the outage, and it fails closed with 503.
    expect(errorPercent(byKind(outage, 'anonymous'))).toBe(0);
    expect(errorPercent(byKind(outage, 'api key'))).toBe(0);
    expect(byKind(outage, 'jwt').length).toBeGreaterThan(0);
    expect(new Set(byKind(outage, 'jwt').map((s) => s.status))).toEqual(new Set([503]));
    expect(samples.filter((s) => s.status === 503 && s.kind !== 'jwt')).toEqual([]);
    // Back on Redis within the bound, and everything answers 200 afterwards.
    expect(recoverySeconds).toBeLessThan(RECOVERY_BOUND_S);
    const after = within(tokenAt, Number.POSITIVE_INFINITY);
    expect(after.length).toBeGreaterThan(0);
    expect(errorPercent(after)).toBe(0);
    expect(after.some((s) => s.counted)).toBe(true);
  }, 60_000);
});
