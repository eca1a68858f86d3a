import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { insertAuditEntry, listAuditEntries } from './audit.ts';

describeEachBackend('audit queries', (database) => {
  test('rows come back newest first, filtered and paged without gaps or repeats', async () => {
    const db = database().db;
    const user = await db
      .insertInto('users')
      .values({ email: 'a@example.test', password_hash: 'h' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 7; i++) {
      await insertAuditEntry(db, {
        userId: i % 2 ? user.id : null,
        apiKeyId: null,
        action: i < 5 ? 'auth.login' : 'apiKeys.create',
        outcome: i === 3 ? 'failure' : 'success',
        ip: '192.0.2.1',
        inputHash: `h${i}`,
        detail: i === 3 ? { reason: 'invalid_credentials' } : undefined,
      });
    }
    const all = await listAuditEntries(db, { limit: 100 });
    expect(all.items.map((r) => r.inputHash)).toEqual(['h6', 'h5', 'h4', 'h3', 'h2', 'h1', 'h0']);
    expect(all.nextCursor).toBeNull();
    expect(all.items[3]).toMatchObject({
      outcome: 'failure',
      detail: { reason: 'invalid_credentials' },
    });
    expect(all.items[0]?.detail).toEqual({});

    const seen: string[] = [];
    let cursor: number | null = null;
    do {
      const page = await listAuditEntries(db, { limit: 3, cursor });
      seen.push(...page.items.map((r) => r.inputHash ?? ''));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['h6', 'h5', 'h4', 'h3', 'h2', 'h1', 'h0']);

    const mine = await listAuditEntries(db, { userId: user.id, action: 'auth.login', limit: 10 });
    expect(mine.items.map((r) => r.inputHash)).toEqual(['h3', 'h1']);
    const since = await listAuditEntries(db, { since: new Date(Date.now() + 60_000), limit: 10 });
    expect(since.items).toEqual([]);
  });
});
