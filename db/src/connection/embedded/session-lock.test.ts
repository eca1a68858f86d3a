/**
 * The owner's own queries wait a bounded time for the session: a CLI's long (or stalled) transaction
 * makes server requests fail as DatabaseUnavailableError (503 + Retry-After), not queue without limit.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import postgres from 'postgres';
import { openSharedPglite } from '../connect.ts';
import { DatabaseUnavailableError } from '../errors.ts';
import { ownerAddress } from './owner.ts';
import { readOwnerSecret } from './owner-secret.ts';
import { SessionLock, SessionLockTimeoutError } from './session-lock.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-session-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
/** A data directory of its own for each test: one test's leftovers never meet the next. */
const freshDir = () => path.join(root, `pglite-${++dirs}`);

test('a waiter that times out leaves the queue; the next one still gets the lock', async () => {
  const lock = new SessionLock();
  const first = await lock.acquire();
  const timedOut = await lock.acquire(50).catch((error: unknown) => error);
  expect(timedOut).toBeInstanceOf(SessionLockTimeoutError);
  let got = false;
  const next = lock.acquire(10_000).then((release) => {
    got = true;
    return release;
  });
  first();
  (await next)();
  expect(got).toBe(true);
  // Free again: an immediate acquire does not wait.
  (await lock.acquire(1))();
});

/** A client that opens a transaction and sends nothing more. */
async function stallingClient(dir: string) {
  const client = postgres({
    path: ownerAddress(dir),
    max: 1,
    onnotice: () => {},
    password: readOwnerSecret(dir),
  });
  const reserved = await client.reserve();
  await reserved.unsafe('begin');
  return client;
}

const elapsed = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  const outcome = await run().catch((error: unknown) => error);
  return { outcome, seconds: (performance.now() - started) / 1000 };
};

test("the owner's queries give up after 5 s behind a client's transaction, not 5 s each", async () => {
  const dir = freshDir();
  const owner = await openSharedPglite(dir, { holdTimeoutMs: 60_000 });
  try {
    const client = await stallingClient(dir);
    const started = performance.now();
    // Server requests arrive together: Kysely queues them, one reaches the driver at a time.
    const outcomes = await Promise.all([
      ...Array.from({ length: 4 }, () => elapsed(() => sql`select 1`.execute(owner.db))),
      elapsed(() => owner.db.transaction().execute((trx) => sql`select 1`.execute(trx))),
    ]);
    for (const { outcome } of outcomes) expect(outcome).toBeInstanceOf(DatabaseUnavailableError);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(4.9);
    // 5 × 5 s if each waited its own limit in turn.
    expect(seconds).toBeLessThan(20);
    await client.end({ timeout: 1 });
    // Served again once the client is gone (a throwing acquire left Kysely's mutex held: this hung).
    // The client's end() resolves when its socket closes; the owner hands the session on only after
    // rolling the client's transaction back, so a query in between still fails at once (seen under
    // load): ask until it is served, within a bound.
    const deadline = performance.now() + 10_000;
    let served: unknown;
    do {
      served = await sql<{ one: number }>`select 1 as one`
        .execute(owner.db)
        .catch((error: unknown) => error);
      if (!(served instanceof DatabaseUnavailableError)) break;
      await Bun.sleep(20);
    } while (performance.now() < deadline);
    expect(served).toMatchObject({ rows: [{ one: 1 }] });
  } finally {
    await owner.close();
  }
}, 120_000);

test('by default a client idle in a transaction is cut off after 10 s', async () => {
  const dir = freshDir();
  const owner = await openSharedPglite(dir, { lockTimeoutMs: 60_000 });
  try {
    const client = await stallingClient(dir);
    const { outcome, seconds } = await elapsed(() => sql`select 1 as one`.execute(owner.db));
    expect(outcome).toMatchObject({ rows: [{ one: 1 }] });
    expect(seconds).toBeGreaterThanOrEqual(9);
    expect(seconds).toBeLessThan(40);
    await client.end({ timeout: 1 });
  } finally {
    await owner.close();
  }
}, 120_000);
