/**
 * `bun run bench auth`: what authentication and rate limiting cost per request, as ratios measured side
 * by side in one run against the ceiling that bounds them (a Redis PING round trip; a bcrypt hash at
 * cost 10), plus bcrypt time per cost factor. In-process, real Redis and PostgreSQL (F1_TEST_REDIS_URL /
 * F1_TEST_DATABASE_URL, defaulting to 127.0.0.1). Prints a table, writes tests/bench/results/auth.json.
 * Not a test: it asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { authenticate } from '@f1/server/auth/authenticate';
import { hashPassword } from '@f1/server/auth/passwords';
import { authServices, userWithToken } from '@f1/testkit/auth';
import { freshDatabase } from '@f1/testkit/postgres';
import { testServerRedis } from '@f1/testkit/server';

process.env.F1_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.F1_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Operations per second of `op`, at `concurrency` in flight, median of 3 runs of `n` operations. */
async function rate(op: () => Promise<unknown>, concurrency: number, n = 4_000): Promise<number> {
  for (let i = 0; i < 200; i++) await op(); // warm up
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < n) await op();
      }),
    );
    runs.push(n / ((performance.now() - start) / 1000));
  }
  return median(runs);
}

const database = await freshDatabase('postgres');
const redis = await testServerRedis();
try {
  const services = authServices({ database, redis, env: { F1_RATE_LIMIT_REQUESTS: '1000000' } });
  const { token } = await userWithToken(services, 'user');
  const { key } = await issueApiKey(services.db, {
    name: 'bench',
    role: 'ml_service',
    createdBy: null,
  });
  const policy = services.rateLimitPolicies.default;
  const claims = await services.accessTokens.verify(token);
  let i = 0;
  const ops: Record<string, () => Promise<unknown>> = {
    'redis PING (ceiling)': () => redis.ping(),
    'rate limit check (Lua sliding window)': () =>
      services.rateLimiter.check(`user:${i++ % 1000}`, policy),
    'session check (Lua touch)': () => services.sessions.touch(claims.sessionId, claims.userId),
    'JWT verify (HS256, CPU only)': () => services.accessTokens.verify(token),
    'authenticate: Bearer JWT (verify + session)': () =>
      authenticate(services, new Headers({ authorization: `Bearer ${token}` })),
    'authenticate: X-API-Key (PostgreSQL lookup)': () =>
      authenticate(services, new Headers({ 'x-api-key': key })),
  };
  const rows: {
    operation: string;
    c1: number;
    c50: number;
    vsPingC1: number;
    vsPingC50: number;
  }[] = [];
  let ping = { c1: 1, c50: 1 };
  for (const [operation, op] of Object.entries(ops)) {
    const c1 = await rate(op, 1);
    const c50 = await rate(op, 50);
    if (operation.startsWith('redis PING')) ping = { c1, c50 };
    rows.push({ operation, c1, c50, vsPingC1: c1 / ping.c1, vsPingC50: c50 / ping.c50 });
  }

  const bcrypt: { cost: number; hashMs: number; verifyMs: number; vsCost10: number }[] = [];
  for (const cost of [10, 11, 12]) {
    const hashes: number[] = [];
    const verifies: number[] = [];
    let hash = '';
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      hash = await hashPassword('correct horse battery staple', cost);
      const t1 = performance.now();
      await Bun.password.verify('correct horse battery staple', hash);
      hashes.push(t1 - t0);
      verifies.push(performance.now() - t1);
    }
    bcrypt.push({ cost, hashMs: median(hashes), verifyMs: median(verifies), vsCost10: 0 });
  }
  for (const b of bcrypt) b.vsCost10 = b.hashMs / (bcrypt[0]?.hashMs ?? 1);

  console.log(
    '\nPer-request auth and rate-limit work (ops/s, median of 3 × 4,000; ratio to Redis PING)',
  );
  console.log(
    `${'operation'.padEnd(46)} ${'c=1'.padStart(9)} ${'÷PING'.padStart(6)} ${'c=50'.padStart(9)} ${'÷PING'.padStart(6)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.operation.padEnd(46)} ${r.c1.toFixed(0).padStart(9)} ${r.vsPingC1.toFixed(2).padStart(6)} ${r.c50.toFixed(0).padStart(9)} ${r.vsPingC50.toFixed(2).padStart(6)}`,
    );
  }
  console.log('\nbcrypt (Bun.password), median of 5');
  console.log(
    `${'cost'.padEnd(6)} ${'hash ms'.padStart(9)} ${'verify ms'.padStart(10)} ${'÷cost 10'.padStart(9)}`,
  );
  for (const b of bcrypt) {
    console.log(
      `${String(b.cost).padEnd(6)} ${b.hashMs.toFixed(1).padStart(9)} ${b.verifyMs.toFixed(1).padStart(10)} ${b.vsCost10.toFixed(2).padStart(9)}`,
    );
  }
  const dir = path.join(import.meta.dir, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'auth.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rows, bcrypt }, null, 2)}\n`,
  );
  console.log(`\nwrote ${path.join('tests/bench/results', 'auth.json')}`);
} finally {
  redis.disconnect();
  await database.close();
}
