import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { ingestionRunTotals } from './run-metrics.ts';
import { finishIngestionRun, startIngestionRun } from './runs.ts';

describeEachBackend('ingestion run totals', (database) => {
  test('an empty table has no rows', async () => {
    expect(await ingestionRunTotals(database().db)).toEqual([]);
  });

  test('sums rows per kind and status and keeps the last finished run apart', async () => {
    const db = database().db;
    const finish = async (stats: Record<string, unknown>, status: 'succeeded' | 'failed') => {
      const run = await startIngestionRun(db, {
        kind: 'race',
        season: 2024,
        round: 1,
        requestedBy: 't',
      });
      await finishIngestionRun(db, { id: run.id, status, stats });
    };
    await finish({ created: 10, updated: 2, deleted: 0, unchanged: 5, requests: 3 }, 'succeeded');
    await finish({ created: 1, updated: 0, deleted: 4, unchanged: 7 }, 'succeeded');
    await finish({ created: 'many' }, 'failed'); // not a number: counts 0
    await startIngestionRun(db, { kind: 'season', season: 2024, requestedBy: 't' }); // still running

    const totals = await ingestionRunTotals(db);
    // Ordered by kind, then status (the enums' order in the database).
    expect(totals.map((t) => `${t.kind} ${t.status} ${t.runs}`).sort()).toEqual([
      'race failed 1',
      'race succeeded 2',
      'season running 1',
    ]);
    const succeeded = totals.find((t) => t.kind === 'race' && t.status === 'succeeded');
    expect(succeeded?.rows).toEqual({ created: 11, updated: 2, deleted: 4, unchanged: 12 });
    expect(succeeded?.lastRows).toEqual({ created: 1, updated: 0, deleted: 4, unchanged: 7 });
    expect(succeeded?.lastFinishedAt).toBeInstanceOf(Date);
    const running = totals.find((t) => t.status === 'running');
    expect(running?.lastFinishedAt).toBeNull();
    expect(running?.lastRows).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0 });
    const failed = totals.find((t) => t.status === 'failed');
    expect(failed?.rows.created).toBe(0);
  });
});
