import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import type { Redis } from '@f1/core/redis';
import { listAuditEntries } from '@f1/db/auth/audit';
import {
  authServices,
  bearer,
  recordingLogger,
  TEST_PASSWORD,
  uniqueEmail,
  userWithToken,
} from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor, userPrincipal } from '@f1/testkit/callers';
import { testApp, testClient, testServerRedisIfAny } from '@f1/testkit/server';
import { TRPCClientError } from '@trpc/client';
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import { appRouter } from '../trpc/router.ts';
import { inputHash, REDACTED, redactedText } from './redact.ts';

describe('input hashing', () => {
  test('secrets are replaced before hashing, keys are sorted, nesting is followed', () => {
    expect(
      JSON.parse(
        redactedText({
          b: 1,
          password: 'hunter2',
          a: { refreshToken: 't', items: [{ apiKey: 'k' }] },
        }).text,
      ),
    ).toEqual({
      a: { items: [{ apiKey: REDACTED }], refreshToken: REDACTED },
      b: 1,
      password: REDACTED,
    });
    expect(inputHash({ email: 'a@b.c', password: 'one' })).toBe(
      inputHash({ password: 'two', email: 'a@b.c' }),
    );
    expect(inputHash({ email: 'a@b.c' })).not.toBe(inputHash({ email: 'x@b.c' }));
    expect(inputHash(undefined)).toBeNull();
    expect(inputHash({ at: new Date(0) })).toBe(inputHash({ at: '1970-01-01T00:00:00.000Z' }));
    // Plain inputs hash as before the bounded canonical form: SHA-256 of sorted-key JSON.
    const before = createHash('sha256').update('{"a":[1,"x"],"b":{"c":null}}').digest('hex');
    expect(inputHash({ b: { c: null }, a: [1, 'x'] })).toBe(before);
  });
});

describeEachBackend('audit log', (database) => {
  let redis: Redis | null = null;
  let services: Services;
  let app: ReturnType<typeof testApp>;
  const logger = recordingLogger();
  beforeAll(async () => {
    redis = await testServerRedisIfAny();
    services = authServices({
      database: database(),
      redis,
      logger,
      env: { F1_TRUSTED_PROXIES: '1' },
    });
    app = testApp(services);
  });
  afterAll(() => redis?.disconnect());

  const rows = async (action: string) =>
    (await listAuditEntries(services.db, { action, limit: 100 })).items;

  test('every mutation of the whole router writes an audit row, whoever wrote it', async () => {
    const { user } = await userWithToken(services, 'admin');
    const mutations = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .filter(([, p]) => p._def.type === 'mutation')
      .map(([path]) => path);
    expect(mutations.length).toBeGreaterThan(3);
    const caller: unknown = callerFor(services, userPrincipal(user.id, 'admin', 'audit-table'), {
      ip: '192.0.2.44',
    });
    for (const path of mutations) {
      const before = (await rows(path)).length;
      const procedure = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
      await (procedure as (input?: unknown) => Promise<unknown>)(undefined).catch(() => {});
      const after = await rows(path);
      expect(`${path}: ${after.length - before}`).toBe(`${path}: 1`);
      expect(after[0]).toMatchObject({ userId: user.id, ip: '192.0.2.44' });
    }
  });

  test('auth events: login success and failure, with who, outcome, IP and input hash', async () => {
    const email = uniqueEmail();
    const anonymous = testClient(app, { headers: { 'x-forwarded-for': '203.0.113.77' } });
    const pair = await anonymous.auth.register.mutate({ email, password: TEST_PASSWORD });
    await anonymous.auth.login.mutate({ email, password: TEST_PASSWORD });
    await anonymous.auth.login.mutate({ email, password: 'wrong password!' }).catch(() => {});
    const logins = (await rows('auth.login')).filter((r) => r.userId === pair.user.id);
    expect(logins.map((r) => [r.outcome, r.detail.reason ?? null])).toEqual([
      ['failure', 'invalid_credentials'],
      ['success', null],
    ]);
    expect(logins.every((r) => r.ip === '203.0.113.77')).toBe(true);
    // The hash covers the email but not the password: both attempts hash alike.
    expect(logins[0]?.inputHash).toBe(inputHash({ email, password: 'whatever' }));
    expect(logins[0]?.inputHash).toBe(logins[1]?.inputHash ?? '');
    const registered = (await rows('auth.register')).find((r) => r.userId === pair.user.id);
    expect(registered?.outcome).toBe('success');
  });

  test('denials are audited; queries are not', async () => {
    const { user, token } = await userWithToken(services, 'user');
    const client = testClient(app, { headers: bearer(token) });
    await client.apiKeys.create.mutate({ name: 'nope' }).catch(() => {});
    const denied = (await rows('apiKeys.create')).find((r) => r.userId === user.id);
    expect(denied).toMatchObject({ outcome: 'denied', detail: { error: 'FORBIDDEN' } });
    await client.auth.me.query();
    expect(await rows('auth.me')).toEqual([]);
  });

  test('API-key calls are attributed to the key; admin actions carry their detail', async () => {
    const admin = await userWithToken(services, 'admin');
    const adminClient = testClient(app, { headers: bearer(admin.token) });
    const created = await adminClient.apiKeys.create.mutate({ name: 'auditor', role: 'admin' });
    const keyClient = testClient(app, { headers: { 'x-api-key': created.key } });
    const other = await keyClient.apiKeys.create.mutate({ name: 'made-by-key' });
    await adminClient.apiKeys.revoke.mutate({ id: other.apiKey.id });
    const creates = await rows('apiKeys.create');
    expect(creates.find((r) => r.apiKeyId === created.apiKey.id)).toMatchObject({
      userId: null,
      outcome: 'success',
      detail: { apiKeyId: other.apiKey.id, prefix: other.apiKey.prefix },
    });
    expect((await rows('apiKeys.revoke'))[0]).toMatchObject({
      userId: admin.user.id,
      detail: { apiKeyId: other.apiKey.id },
    });
  });

  test('no password, token or key ever reaches logs, errors or audit rows', async () => {
    const secrets: string[] = [TEST_PASSWORD, 'wrong password!'];
    const errors: string[] = [];
    const anonymous = testClient(app);
    const email = uniqueEmail();
    const pair = await anonymous.auth.register.mutate({ email, password: TEST_PASSWORD });
    const next = await anonymous.auth.refresh.mutate({ refreshToken: pair.refreshToken });
    secrets.push(pair.accessToken, pair.refreshToken, next.accessToken, next.refreshToken);
    const capture = (call: Promise<unknown>) =>
      call.catch((error: unknown) => {
        if (error instanceof TRPCClientError)
          errors.push(JSON.stringify(error.shape), error.message);
      });
    await capture(anonymous.auth.login.mutate({ email, password: 'wrong password!' }));
    await capture(anonymous.auth.refresh.mutate({ refreshToken: pair.refreshToken })); // reuse
    await capture(testClient(app, { headers: bearer(next.accessToken) }).auth.me.query());
    const admin = await userWithToken(services, 'admin');
    const key = await testClient(app, { headers: bearer(admin.token) }).apiKeys.create.mutate({
      name: 'scanner',
    });
    secrets.push(key.key, admin.token, admin.refreshToken);
    await capture(testClient(app, { headers: { 'x-api-key': `${key.key}x` } }).auth.me.query());

    const audit = await sql<Record<string, unknown>>`SELECT * FROM audit_log`.execute(services.db);
    const haystacks = {
      logs: logger.lines.join('\n'),
      errors: errors.join('\n'),
      audit: JSON.stringify(audit.rows),
    };
    expect(audit.rows.length).toBeGreaterThan(5);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) {
        expect(`${where} contains ${secret.slice(0, 12)}…: ${text.includes(secret)}`).toBe(
          `${where} contains ${secret.slice(0, 12)}…: false`,
        );
      }
    }
  });
});
