import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { authServices, bearer, TEST_PASSWORD, userWithToken } from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { settle } from '@f1/testkit/errors';
import { testApp, testClient, testServerRedisIfAny } from '@f1/testkit/server';
import type { Services } from '../services.ts';

async function failure(call: Promise<unknown>): Promise<string> {
  const error = await settle(call);
  return error ? `${error.code}: ${error.message}` : 'OK';
}

describeEachBackend('admin router', (database) => {
  let redis: Redis | null = null;
  let services: Services;
  let app: ReturnType<typeof testApp>;
  let admin: ReturnType<typeof testClient>;
  let adminId: number;
  let adminToken: string;
  beforeAll(async () => {
    redis = await testServerRedisIfAny();
    services = authServices({ database: database(), redis });
    app = testApp(services);
    const made = await userWithToken(services, 'admin');
    adminId = made.user.id;
    adminToken = made.token;
    admin = testClient(app, { headers: bearer(made.token) });
  });
  afterAll(() => redis?.disconnect());

  test('ingest queues a run (once per target) attributed to the admin', async () => {
    const season = await admin.admin.ingest.mutate({ season: 2024 });
    expect(season.created).toBe(true);
    expect(season.run).toMatchObject({
      kind: 'season',
      season: 2024,
      round: null,
      status: 'queued',
      requestedBy: `user:${adminId}`,
    });
    const round = await admin.admin.ingest.mutate({ season: 2024, round: 5 });
    expect(round.run).toMatchObject({ kind: 'race', round: 5 });
    const again = await admin.admin.ingest.mutate({ season: 2024, round: 5 });
    expect(again).toMatchObject({ created: false, run: { id: round.run.id } });
    const quali = await admin.admin.ingest.mutate({ season: 2024, round: 5, kind: 'qualifying' });
    expect(quali.run.kind).toBe('qualifying');
    expect(
      await failure(admin.admin.ingest.mutate({ season: 2024, round: 2, kind: 'schedule' })),
    ).toMatch(/^BAD_REQUEST: a "schedule" run takes no round/);
    expect(await failure(admin.admin.ingest.mutate({ season: 1900 }))).toMatch(/^BAD_REQUEST/);
  });

  test('dates PostgreSQL cannot hold are a 400 naming the field (regression: 500)', async () => {
    const yearZero = new Date('0000-01-01T00:00:00Z');
    const farFuture = new Date('+010000-01-01T00:00:00.000Z');
    const audit = await failure(admin.admin.audit.query({ since: yearZero }));
    expect(audit).toStartWith('BAD_REQUEST');
    expect(audit).toContain('since');
    const key = await failure(admin.apiKeys.create.mutate({ name: 'far', expiresAt: farFuture }));
    expect(key).toStartWith('BAD_REQUEST');
    expect(key).toContain('expiresAt');
    const rest = await app.handle(
      new Request('http://localhost/api/v1/admin/audit?since=0000-01-01T00:00:00Z', {
        headers: bearer(adminToken),
      }),
    );
    expect(rest.status).toBe(400);
    expect(await rest.text()).toContain('since');
  });

  test('audit reads newest first, filters, and pages with a cursor', async () => {
    const all = await admin.admin.audit.query({ limit: 500 });
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    const ids = all.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const pages: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await admin.admin.audit.query({ limit: 2, cursor });
      pages.push(...page.items.map((i) => i.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(pages).toEqual(ids);
    const mine = await admin.admin.audit.query({ userId: adminId, limit: 500 });
    expect(mine.items.every((i) => i.userId === adminId)).toBe(true);
    expect(mine.items.some((i) => i.action === 'admin.ingest')).toBe(true);
    const future = await admin.admin.audit.query({
      since: new Date(Date.now() + 60_000),
      limit: 10,
    });
    expect(future).toEqual({ items: [], nextCursor: null });
  });

  test('disabling a user ends their sessions and blocks login; role changes apply at once', async () => {
    const target = await userWithToken(services, 'user');
    const client = testClient(app, { headers: bearer(target.token) });
    expect((await client.auth.me.query()).kind).toBe('user');

    const promoted = await admin.admin.users.update.mutate({
      id: target.user.id,
      role: 'ml_service',
    });
    expect(promoted).toMatchObject({ user: { role: 'ml_service' }, sessionsRevoked: 1 });
    expect(await failure(client.auth.me.query())).toMatch(/^UNAUTHORIZED/);

    const anonymous = testClient(app);
    const login = await anonymous.auth.login.mutate({
      email: target.email,
      password: TEST_PASSWORD,
    });
    expect(login.user.role).toBe('ml_service');

    const disabled = await admin.admin.users.update.mutate({ id: target.user.id, disabled: true });
    expect(disabled.user.disabledAt).toBeInstanceOf(Date);
    expect(disabled.sessionsRevoked).toBe(1);
    expect(
      await failure(anonymous.auth.login.mutate({ email: target.email, password: TEST_PASSWORD })),
    ).toBe('FORBIDDEN: this account is disabled');
    expect(
      await failure(anonymous.auth.refresh.mutate({ refreshToken: login.refreshToken })),
    ).toMatch(/^UNAUTHORIZED/);

    const list = await admin.admin.users.list.query({ limit: 500 });
    expect(list.items.find((u) => u.id === target.user.id)?.disabledAt).toBeInstanceOf(Date);
    expect(
      await failure(admin.admin.users.update.mutate({ id: 999_999, disabled: false })),
    ).toMatch(/^NOT_FOUND/);
    expect(await failure(admin.admin.users.update.mutate({ id: target.user.id }))).toMatch(
      /^BAD_REQUEST/,
    );
    await admin.admin.users.update.mutate({ id: target.user.id, disabled: false });
    const back = await anonymous.auth.login.mutate({
      email: target.email,
      password: TEST_PASSWORD,
    });
    expect(back.user.disabledAt).toBeNull();
  });
});
