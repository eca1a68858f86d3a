import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { sql } from 'kysely';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, useApiKey } from './api-keys.ts';

describeEachBackend('api key queries', (database) => {
  test('insert, use (live only), stamp last use at most once a minute, revoke', async () => {
    const db = database().db;
    const key = await insertApiKey(db, {
      name: 'runner',
      prefix: 'f1k_abcdef12',
      keyHash: 'hash-1',
      role: 'ml_service',
      createdBy: null,
    });
    expect(key).toMatchObject({
      name: 'runner',
      prefix: 'f1k_abcdef12',
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(await useApiKey(db, 'hash-1')).toEqual({
      id: key.id,
      role: 'ml_service',
      expiresAt: null,
    });
    const stamped = (await findApiKey(db, key.id))?.lastUsedAt;
    expect(stamped).toBeInstanceOf(Date);
    await useApiKey(db, 'hash-1');
    expect((await findApiKey(db, key.id))?.lastUsedAt?.getTime()).toBe(stamped?.getTime());
    expect(await useApiKey(db, 'no-such-hash')).toBeNull();

    const expired = await insertApiKey(db, {
      name: 'old',
      prefix: 'f1k_00000000',
      keyHash: 'hash-2',
      role: 'user',
      createdBy: null,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect((await useApiKey(db, 'hash-2'))?.expiresAt?.getTime()).toBe(
      expired.expiresAt?.getTime(),
    );
    await sql`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}`.execute(
      db,
    );
    expect(await useApiKey(db, 'hash-2')).toBeNull();

    expect((await revokeApiKey(db, key.id))?.revokedAt).toBeInstanceOf(Date);
    expect(await useApiKey(db, 'hash-1')).toBeNull();
    expect(await revokeApiKey(db, 999_999)).toBeNull();
    expect(await findApiKey(db, 999_999)).toBeNull();
    expect((await listApiKeys(db)).map((k) => k.id)).toEqual([expired.id, key.id]);
  });
});
