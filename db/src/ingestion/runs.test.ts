import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { sql } from 'kysely';
import {
  cancelQueuedIngestionRun,
  checkTarget,
  claimNextIngestionRun,
  enqueueIngestionRun,
  finishIngestionRun,
  getIngestionRun,
  IngestionRunError,
  listIngestionRuns,
  requeueStaleIngestionRuns,
  startIngestionRun,
} from './runs.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof IngestionRunError ? error.code : 'other';
  }
  return null;
};

test('checkTarget refuses targets that make no sense for their kind', () => {
  expect(codeOf(() => checkTarget({ kind: 'season', season: 2024 }))).toBeNull();
  expect(codeOf(() => checkTarget({ kind: 'race', season: 2024, round: 5 }))).toBeNull();
  expect(codeOf(() => checkTarget({ kind: 'import-csv' }))).toBeNull();
  expect(codeOf(() => checkTarget({ kind: 'validate' }))).toBeNull(); // validate --all
  expect(codeOf(() => checkTarget({ kind: 'race' }))).toBe('invalid_target');
  expect(codeOf(() => checkTarget({ kind: 'season', season: 2024, round: 3 }))).toBe(
    'invalid_target',
  );
  expect(codeOf(() => checkTarget({ kind: 'race', season: 1949 }))).toBe('invalid_target');
  expect(codeOf(() => checkTarget({ kind: 'race', season: 2024, round: 0 }))).toBe(
    'invalid_target',
  );
  // A kind from outside the union (e.g. from an untyped caller).
  expect(codeOf(() => checkTarget({ kind: 'laps' as 'race', season: 2024 }))).toBe(
    'invalid_target',
  );
});

describeEachBackend('ingestion runs queue', (database) => {
  test('enqueue returns a queued run and does not duplicate an identical queued one', async () => {
    const db = database().db;
    const first = await enqueueIngestionRun(db, {
      kind: 'race',
      season: 2024,
      round: 5,
      requestedBy: 'user:1',
    });
    expect(first.created).toBe(true);
    expect(first.run).toMatchObject({
      kind: 'race',
      season: 2024,
      round: 5,
      status: 'queued',
      requestedBy: 'user:1',
      startedAt: null,
      finishedAt: null,
      error: null,
    });
    const again = await enqueueIngestionRun(db, {
      kind: 'race',
      season: 2024,
      round: 5,
      requestedBy: 'user:2',
    });
    expect(again).toEqual({ run: first.run, created: false });
    const otherRound = await enqueueIngestionRun(db, {
      kind: 'race',
      season: 2024,
      round: 6,
      requestedBy: 'user:1',
    });
    expect(otherRound.created).toBe(true);
    const csv = await enqueueIngestionRun(db, { kind: 'import-csv', requestedBy: 'cli' });
    expect(csv.run.season).toBeNull();
    expect((await enqueueIngestionRun(db, { kind: 'import-csv', requestedBy: 'x' })).created).toBe(
      false,
    );
    const rows = await db.selectFrom('ingestion_runs').select('id').execute();
    expect(rows.length).toBe(3);
  });

  test('concurrent enqueues of one target create exactly one run', async () => {
    const db = database().db;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        enqueueIngestionRun(db, { kind: 'season', season: 2023, requestedBy: 'cron' }),
      ),
    );
    expect(results.filter((r) => r.created).length).toBe(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
  });

  test('claim takes the oldest queued run once; finish records the outcome', async () => {
    const db = database().db;
    const queued = await listIngestionRuns(db, { status: 'queued' });
    const oldest = queued.at(-1);
    const claimed = await claimNextIngestionRun(db);
    expect(claimed?.id).toBe(oldest?.id);
    expect(claimed?.status).toBe('running');
    expect(claimed?.startedAt).toBeInstanceOf(Date);

    // Once claimed, the same target can be queued again (a newer request).
    const requeued = await enqueueIngestionRun(db, {
      kind: 'race',
      season: 2024,
      round: 5,
      requestedBy: 'user:3',
    });
    expect(requeued.created).toBe(true);

    if (!claimed) throw new Error('nothing claimed');
    const done = await finishIngestionRun(db, {
      id: claimed.id,
      status: 'succeeded',
      stats: { created: 20, updated: 0, requests: 3 },
    });
    expect(done.status).toBe('succeeded');
    expect(done.stats).toEqual({ created: 20, updated: 0, requests: 3 });
    expect(done.finishedAt).toBeInstanceOf(Date);
    const stored = await sql<{
      t: string;
    }>`SELECT jsonb_typeof(stats) AS t FROM ingestion_runs WHERE id = ${claimed.id}`.execute(db);
    expect(stored.rows[0]?.t).toBe('object');

    await expect(finishIngestionRun(db, { id: claimed.id, status: 'failed' })).rejects.toThrow(
      /is succeeded, not running/,
    );
    await expect(finishIngestionRun(db, { id: 999_999, status: 'failed' })).rejects.toThrow(
      /not found/,
    );
  });

  test('parallel claimers never claim the same run', async () => {
    const db = database().db;
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimNextIngestionRun(db)));
    const ids = claims.flatMap((c) => (c ? [c.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await listIngestionRuns(db, { status: 'queued' })).toEqual([]);
    expect(await claimNextIngestionRun(db)).toBeNull();
  });

  test('failed runs keep their error; stale running runs go back to the queue', async () => {
    const db = database().db;
    const run = await startIngestionRun(db, { kind: 'season', season: 2022, requestedBy: 'cli' });
    expect(run.status).toBe('running');
    const failed = await finishIngestionRun(db, {
      id: run.id,
      status: 'failed',
      error: 'round 3: Results[0].points: expected number (https://x/2022/3/results.json)',
    });
    expect(failed.error).toContain('Results[0].points');

    const stale = await startIngestionRun(db, { kind: 'race', season: 2022, requestedBy: 'cli' });
    await db
      .updateTable('ingestion_runs')
      .set({ started_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', stale.id)
      .execute();
    expect(await requeueStaleIngestionRuns(db, { staleAfterMs: 600_000 })).toBe(1);
    expect((await getIngestionRun(db, stale.id))?.status).toBe('queued');
    expect(await requeueStaleIngestionRuns(db, { staleAfterMs: 600_000 })).toBe(0);
  });

  test('a queued run can be cancelled, a finished one cannot', async () => {
    const db = database().db;
    const { run } = await enqueueIngestionRun(db, {
      kind: 'weather',
      season: 2024,
      round: 1,
      requestedBy: 'user:1',
    });
    const cancelled = await cancelQueuedIngestionRun(db, run.id);
    expect(cancelled?.status).toBe('cancelled');
    expect(await cancelQueuedIngestionRun(db, run.id)).toBeNull();
    expect(await getIngestionRun(db, 424_242)).toBeNull();
    const recent = await listIngestionRuns(db, { limit: 2 });
    expect(recent.length).toBe(2);
    expect(recent[0]?.id).toBeGreaterThan(recent[1]?.id ?? Number.POSITIVE_INFINITY);
  });
});
