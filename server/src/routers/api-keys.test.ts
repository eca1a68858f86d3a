import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { authServices, bearer, userWithToken } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { settle } from '@f1/testkit/errors';
import { testApp, testClient, testServerRedisIfAny } from '@f1/testkit/server';
import { sql } from 'kysely';
import { sha256 } from '../auth/secrets.ts';
import type { Services } from '../services.ts';

async function code(call: Promise<unknown>): Promise<string> {
  return (await settle(call))?.code ?? 'OK';
}

describeEachBackend('API keys', (database) => {
  let redis: Redis | null = null;
  let services: Services;
  let app: ReturnType<typeof testApp>;
  let adminToken: string;
  beforeAll(async () => {
    redis = await testServerRedisIfAny();
    services = authServices({ database: database(), redis });
    app = testApp(services);
    adminToken = (await userWithToken(services, 'admin')).token;
  });
  afterAll(() => redis?.disconnect());
  const admin = () => testClient(app, { headers: bearer(adminToken) });
  const withKey = (key: string, header: 'x-api-key' | 'bearer' = 'x-api-key') =>
    testClient(app, { headers: header === 'bearer' ? bearer(key) : { 'x-api-key': key } });

  test('create → use (both headers) → list → revoke', async () => {
    const created = await admin().apiKeys.create.mutate({
      name: 'model-runner',
      role: 'ml_service',
    });
    expect(created.key).toMatch(/^f1k_[0-9a-f]{72}$/);
    expect(created.apiKey).toMatchObject({
      name: 'model-runner',
      role: 'ml_service',
      revokedAt: null,
    });
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey.prefix).toHaveLength(12);

    // Only the hash is stored: no column of the row holds the key.
    const row = await sql<
      Record<string, unknown>
    >`SELECT * FROM api_keys WHERE id = ${created.apiKey.id}`.execute(services.db);
    expect(row.rows[0]?.key_hash).toBe(sha256(created.key));
    expect(JSON.stringify(row.rows)).not.toContain(created.key);

    for (const header of ['x-api-key', 'bearer'] as const) {
      const me = await withKey(created.key, header).auth.me.query();
      expect(me.kind === 'api_key' && me.apiKey.id).toBe(created.apiKey.id);
    }
    // The key's role is enforced like a user's: ml_service is not admin.
    expect(await code(withKey(created.key).apiKeys.list.query())).toBe('FORBIDDEN');
    // Sessions belong to users.
    expect(await code(withKey(created.key).auth.sessions.query())).toBe('BAD_REQUEST');

    const listed = await admin().apiKeys.list.query();
    const mine = listed.find((k) => k.id === created.apiKey.id);
    expect(mine?.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const revoked = await admin().apiKeys.revoke.mutate({ id: created.apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await code(withKey(created.key).auth.me.query())).toBe('UNAUTHORIZED');
    // Revoking again keeps the first revocation time; an unknown id is NOT_FOUND.
    const again = await admin().apiKeys.revoke.mutate({ id: created.apiKey.id });
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    expect(await code(admin().apiKeys.revoke.mutate({ id: 999_999 }))).toBe('NOT_FOUND');
  });

  test('expired, malformed, unknown and doubled credentials are refused', async () => {
    const soon = new Date(Date.now() + 1_000);
    const created = await admin().apiKeys.create.mutate({ name: 'short-lived', expiresAt: soon });
    expect(created.apiKey.role).toBe('ml_service');
    expect(await code(withKey(created.key).auth.me.query())).toBe('OK');
    await sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ${created.apiKey.id}`.execute(
      services.db,
    );
    // Changed in the database behind this process's back: trusted until the verification window
    // (F1_API_KEY_CACHE_SECONDS, http/authenticated-cache.test.ts) ends, as it does here.
    services.apiKeyCache.forget(created.apiKey.id);
    expect(await code(withKey(created.key).auth.me.query())).toBe('UNAUTHORIZED');

    const live = await admin().apiKeys.create.mutate({ name: 'live' });
    const lastChar = live.key.endsWith('0') ? '1' : '0';
    const badChecksum = `${live.key.slice(0, -1)}${lastChar}`;
    const unknown = `f1k_${'0'.repeat(64)}${Bun.hash
      .crc32(`f1k_${'0'.repeat(64)}`)
      .toString(16)
      .padStart(8, '0')}`;
    for (const key of [badChecksum, unknown, 'f1k_short']) {
      expect(await code(withKey(key).auth.me.query())).toBe('UNAUTHORIZED');
    }
    const both = testClient(app, { headers: { ...bearer(adminToken), 'x-api-key': live.key } });
    expect(await code(both.auth.me.query())).toBe('UNAUTHORIZED');
    const basic = testClient(app, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(await code(basic.auth.me.query())).toBe('UNAUTHORIZED');
    expect(
      await code(admin().apiKeys.create.mutate({ name: 'past', expiresAt: new Date(0) })),
    ).toBe('BAD_REQUEST');
  });

  test('a name with control characters (a terminal escape, C1, DEL) is a 400 naming name; none is stored', async () => {
    const before = (await admin().apiKeys.list.query()).length;
    for (const name of ['bad\u001b[31mred', 'tab\there', 'c1\u009bx', 'del\u007f']) {
      const error = await settle(admin().apiKeys.create.mutate({ name }));
      expect(error?.code).toBe('BAD_REQUEST');
      expect(error?.fieldErrors?.name?.[0]).toBe('must not contain control characters');
    }
    const rest = await app.handle(
      new Request('http://test.local/api/v1/api-keys', {
        method: 'POST',
        headers: { ...bearer(adminToken), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bell\u0007' }),
      }),
    );
    expect(rest.status).toBe(400);
    expect(JSON.stringify(await rest.json())).toContain('name');
    expect((await admin().apiKeys.list.query()).length).toBe(before);
    // Printable text of any script stays welcome.
    const fine = await admin().apiKeys.create.mutate({ name: 'Équipe — モデル 1' });
    expect(fine.apiKey.name).toBe('Équipe — モデル 1');
  });
});
