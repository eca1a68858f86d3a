/**
 * A cold burst of authenticated traffic: a fresh server process (and a Redis prefix nothing has used)
 * whose very first traffic is 50 concurrent `races.results` reads with one credential. The process
 * used to die here (ioredis auto-pipelining with Lua scripts registered lazily, after a pipeline was
 * already queued: replies went to the wrong commands, then a reply handler threw).
 *
 * Each trial gets its own prefix, so its rate-limit buckets start empty: 50 requests are under the
 * default limit (100 per minute per principal), and every answer must be 200 — a 429 here would mean
 * the limiter miscounted, and anything else is the bug. The server must also log no fault: with the
 * process guard alone it would survive, but replies would still reach the wrong commands.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Redis, waitForRedis } from '@f1/core/redis';
import { createServerRedis } from '@f1/server/redis';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { startServer } from '@f1/testkit/processes';
import { type ReadFixtureCallers, readFixtureCallers } from '@f1/testkit/read-fixture-callers';
import { testRedisUrl } from '@f1/testkit/redis';
import { describeWith, needs } from '@f1/testkit/skip';

const BURST = 50;
const TRIALS = 5;
const PATH = `/trpc/races.results?input=${encodeURIComponent(
  JSON.stringify({ json: { season: MINI_SEASON, round: 1 } }),
)}`;

/** `fetch`, with a network failure (the process died mid-burst) as status 0. */
async function status(url: string, headers: Record<string, string>): Promise<number> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(20_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

describeWith([needs.postgres, needs.redis], 'a cold burst of authenticated requests', () => {
  let callers: ReadFixtureCallers;
  const connections: Redis[] = [];

  beforeAll(async () => {
    callers = await readFixtureCallers('burst');
  }, 60_000);

  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await callers?.database.close();
  });

  /** A session made by `auth.login` itself, under `prefix`, before the server starts. */
  async function jwtUnder(prefix: string): Promise<string> {
    const redis = createServerRedis(testRedisUrl() ?? '', { keyPrefix: prefix });
    connections.push(redis);
    await waitForRedis(redis);
    return callers.accessToken(redis);
  }

  async function trial(kind: 'api key' | 'jwt', n: number) {
    const prefix = `f1t:${process.pid}:burst:${kind === 'jwt' ? 'j' : 'k'}${n}:`;
    const headers: Record<string, string> =
      kind === 'jwt'
        ? { authorization: `Bearer ${await jwtUnder(prefix)}` }
        : { 'x-api-key': callers.apiKey };
    const server = await startServer({
      F1_DATABASE_URL: callers.database.url ?? '',
      F1_DB_POOL_SIZE: '4',
      F1_REDIS_URL: testRedisUrl() ?? '',
      F1_REDIS_KEY_PREFIX: prefix,
    });
    try {
      const statuses = await Promise.all(
        Array.from({ length: BURST }, () => status(`${server.url}${PATH}`, headers)),
      );
      // The fatal throw came in a reply callback just after the burst's replies: ask again.
      const after = await status(`${server.url}/health`, {});
      // Healthy Redis and database: any warning or error the server wrote is a fault (the bug also
      // showed as "cache unavailable …pipeline[functionName] is not a function").
      const faults = server
        .errors()
        .split('\n')
        .filter((line) => /^(WARN|ERROR)\b|Error: /.test(line));
      return { statuses, alive: server.alive() && after === 200, faults };
    } finally {
      await server.stop();
    }
  }

  for (const kind of ['api key', 'jwt'] as const) {
    test(`${TRIALS} fresh processes survive ${BURST} concurrent ${kind} requests as their first traffic`, async () => {
      let survived = 0;
      const failures: string[] = [];
      for (let n = 0; n < TRIALS; n++) {
        const { statuses, alive, faults } = await trial(kind, n);
        const ok = statuses.filter((code) => code === 200).length;
        if (alive) survived++;
        if (!alive || ok !== BURST || faults.length)
          failures.push(`trial ${n}: alive=${alive} ${faults.join(' | ')}; ${statuses.join(',')}`);
      }
      console.log(`cold burst (${kind}): ${survived}/${TRIALS} processes survived`);
      expect(failures).toEqual([]);
      expect(survived).toBe(TRIALS);
    }, 120_000);
  }
});
