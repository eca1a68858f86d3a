/**
 * A real server process killed with SIGKILL in the middle of a stream of prediction submissions
 * (live and backtest, some with an idempotency key, some retries of an earlier key), then restarted:
 * every submission the client got a 200 for is stored exactly once, whole, and scored where its race
 * has results — before the restart already, since a set and its accuracy commit together.
 *
 * Regression (issue 11, finding 8): sets were scored in a second transaction after the submission
 * committed, so a crash in between left stored backtest sets without accuracy rows (9–260 per run).
 * Needs F1_TEST_DATABASE_URL (skipped with a printed reason).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import {
  entriesFor,
  FIELD,
  type PredictionFixture,
  seedPredictionRaces,
} from '@f1/testkit/fixtures/predictions';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { describeWith, needs } from '@f1/testkit/skip';
import { until } from '@f1/testkit/wait';
import postgres from 'postgres';

const WORKERS = 8;
/** SIGKILL once this many submissions were acknowledged. */
const KILL_AFTER = 120;

interface Plan {
  n: number;
  body: Record<string, unknown>;
  /** Rounds 1 and 2 have results; 3 and 4 do not. */
  round: number;
  /** Set for a resend of an earlier keyed submission. */
  retryOf: number | null;
}

/** Submission n: a third live (rounds 3/4), a third backtest of a finished race, a third backtest of an open one. */
function plan(n: number, keyed: number[]): Plan {
  const retry = n % 9 === 8 ? keyed[n % keyed.length] : undefined;
  if (retry !== undefined) return { ...plan(retry, []), n, retryOf: retry };
  const kind = n % 3;
  const round = kind === 0 ? 3 + (n % 2) : kind === 1 ? 1 + (n % 2) : 3;
  return {
    n,
    round,
    retryOf: null,
    body: {
      season: MINI_SEASON,
      round,
      model: `stream-${n}`,
      version: '1',
      backtest: kind !== 0,
      ...(n % 4 === 0 ? { idempotencyKey: `key-${n}` } : {}),
      entries: entriesFor(round === 4 ? [...FIELD].reverse() : FIELD),
    },
  };
}

describeWith([needs.postgres], 'a server killed mid-submissions', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  let fx: PredictionFixture;
  let key: string;
  const env = () => ({
    F1_DATABASE_URL: database.url ?? '',
    F1_RATE_LIMIT_REQUESTS: '1000000',
  });

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    fx = await seedPredictionRaces(database.db);
    key = (await issueApiKey(database.db, { name: 'ml', role: 'ml_service', createdBy: null })).key;
    sql = postgres(database.url ?? '', { max: 2, onnotice: () => {} });
  }, 60_000);
  afterAll(async () => {
    await sql.end();
    await database.close();
  });

  /** Current sets of the finished rounds without an accuracy row pointing at them. */
  const unscored = async () =>
    (
      await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM prediction_sets s
          WHERE s.race_id IN (${fx.races.r1}, ${fx.races.r2}) AND s.superseded_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM prediction_accuracy a WHERE a.set_id = s.id)`
    )[0]?.n ?? -1;

  test('every acknowledged submission is stored once, whole and scored', async () => {
    const server: ServerProcess = await startServer(env());
    const acked = new Map<number, { plan: Plan; setId: number; status: string }>();
    const keyed: number[] = [];
    let next = 0;
    let killed = false;
    const submitOne = async (p: Plan) => {
      const res = await fetch(`${server.url}/api/v1/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify(p.body),
      });
      const body = (await res.json()) as { setId?: number; status?: string };
      // Anything but a 200 while the server is up is a bug, not noise.
      if (res.status !== 200) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
      acked.set(p.n, { plan: p, setId: body.setId ?? 0, status: body.status ?? '' });
      if (p.retryOf === null && p.body.idempotencyKey) keyed.push(p.n);
    };
    const worker = async () => {
      while (!killed) {
        const p = plan(next++, keyed);
        try {
          await submitOne(p);
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const workers = Promise.all(Array.from({ length: WORKERS }, worker));
    await until(async () => acked.size >= KILL_AFTER, 120_000);
    killed = true;
    process.kill(server.pid, 'SIGKILL');
    await workers;
    await server.stop();
    // Transactions the dead process left open end once PostgreSQL notices the client is gone (the
    // test's own connections are idle between statements).
    await until(
      async () =>
        (
          await sql`SELECT 1 FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`
        ).length === 0,
      30_000,
    );
    const missingAfterKill = await unscored();

    const restarted = await startServer(env());
    try {
      const health = await fetch(`${restarted.url}/health`);
      expect(health.status).toBe(200);
      const sets = await sql<{ id: number; model: string; entry_count: number; rows: number }[]>`
          SELECT s.id::int AS id, s.model, s.entry_count, (SELECT count(*)::int FROM predictions p WHERE p.set_id = s.id) AS rows
          FROM prediction_sets s WHERE s.model LIKE 'stream-%'`;
      const byModel = Map.groupBy(sets, (s) => s.model);
      const firsts = [...acked.values()].filter((a) => a.plan.retryOf === null);
      const present = firsts.filter((a) => {
        const stored = byModel.get(`stream-${a.plan.n}`) ?? [];
        return stored.length === 1 && stored[0]?.id === a.setId;
      });
      const scoredRows = await sql<{ set_id: number }[]>`
          SELECT set_id::int AS set_id FROM prediction_accuracy WHERE set_id IS NOT NULL`;
      const scoredIds = new Set(scoredRows.map((r) => r.set_id));
      const finished = firsts.filter((a) => a.plan.round <= 2);
      const scored = finished.filter((a) => scoredIds.has(a.setId));
      const missingAfterRestart = await unscored();
      console.info(
        `killed mid-stream: ${acked.size} acked (${acked.size - firsts.length} retries), ` +
          `${present.length}/${firsts.length} present once, ${scored.length}/${finished.length} ` +
          `of finished races scored; ${sets.length} sets stored in all; unscored sets ` +
          `${missingAfterKill} after the kill, ${missingAfterRestart} after the restart`,
      );
      expect(firsts.length).toBeGreaterThan(KILL_AFTER / 2);
      expect(present.length).toBe(firsts.length);
      // A retry of a key answers the original set.
      for (const a of acked.values()) {
        if (a.plan.retryOf === null) continue;
        expect([a.status, a.setId]).toEqual(['unchanged', acked.get(a.plan.retryOf)?.setId ?? -1]);
      }
      // No partial sets (acknowledged or not); every stored set of a finished race is scored, and
      // races without results have nothing scored.
      expect(sets.filter((s) => s.rows !== s.entry_count)).toEqual([]);
      expect(scored.length).toBe(finished.length);
      expect(missingAfterKill).toBe(0);
      expect(missingAfterRestart).toBe(0);
      const [open] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM prediction_accuracy
          WHERE race_id IN (${fx.upcoming.r3}, ${fx.upcoming.r4})`;
      expect(open?.n).toBe(0);
    } finally {
      await restarted.stop();
    }
  }, 240_000);
});
