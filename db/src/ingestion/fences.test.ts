import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { checkFence, currentFence, FencedOffError } from './fences.ts';

describeEachBackend('ingestion fences', (database) => {
  test('newer or equal tokens pass; a stale token is refused and its transaction rolls back', async () => {
    const db = database().db;
    await checkFence(db, { name: 'ingest', token: 3 });
    await checkFence(db, { name: 'ingest', token: 3 });
    await checkFence(db, { name: 'ingest', token: 7 });
    await checkFence(db, { name: 'other', token: 1 });
    const stale = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('ingestion_runs')
        .values({ kind: 'season', season: 2024, requested_by: 'stale' })
        .execute();
      await checkFence(trx, { name: 'ingest', token: 5 });
    });
    await expect(stale).rejects.toThrow(new FencedOffError({ name: 'ingest', token: 5 }, 7));
    expect(
      await db
        .selectFrom('ingestion_runs')
        .select('id')
        .where('requested_by', '=', 'stale')
        .execute(),
    ).toEqual([]);
    const tokens = await db
      .selectFrom('ingestion_fences')
      .select(['name', 'token'])
      .orderBy('name')
      .execute();
    expect(await currentFence(db, 'ingest')).toBe(7);
    expect(await currentFence(db, 'never')).toBe(0);
    expect(tokens).toEqual([
      { name: 'ingest', token: 7 },
      { name: 'other', token: 1 },
    ]);
  });
});
