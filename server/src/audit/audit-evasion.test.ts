/**
 * Regression: an extra input field the audit hasher could not serialise (a superjson BigInt or invalid
 * Date, a cycle, or a REST value nested 100,000 deep) made the audit write throw, so logins and the
 * creation of an admin API key went unaudited. Each vector, over tRPC and REST: the row is there.
 */
import { beforeAll, expect, test } from 'bun:test';
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
import { testApp } from '@f1/testkit/server';
import { TRPCError } from '@trpc/server';
import type { Services } from '../services.ts';
import { AuditHandle, recordAudit } from './audit-trail.ts';

type Headers = Record<string, string>;

/** `{"x":[[[…1…]]]}` with `x` nested `levels` deep, as JSON text. */
const deepJson = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/** Superjson meta that turns the extra field `x` into a value JSON.stringify cannot take. */
const EVASIONS: Record<string, { x: unknown; meta: object }> = {
  bigint: { x: '1', meta: { values: { x: ['bigint'] } } },
  'invalid Date': { x: 'not a date', meta: { values: { x: ['Date'] } } },
  Map: { x: [[1n.toString(), 2]], meta: { values: { x: ['map'] } } },
  cycle: { x: { n: 1 }, meta: { referentialEqualities: { x: ['x.self'] } } },
};

describeEachBackend('audit rows whatever the input holds', (database) => {
  let services: Services;
  let app: ReturnType<typeof testApp>;
  let admin: Headers;
  const logger = recordingLogger();
  beforeAll(async () => {
    // Many logins and registrations from one address: the auth rate limits are not under test here.
    const many = { limit: 10_000 };
    services = authServices({
      database: database(),
      logger,
      rateLimitOverrides: { login: many, loginAccount: many, register: many },
    });
    app = testApp(services);
    admin = bearer((await userWithToken(services, 'admin')).token);
  });

  const send = (path: string, body: string, headers: Headers = {}) =>
    app.handle(
      new Request(`http://test.local${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }),
    );
  /** A tRPC mutation whose input carries `evasion`'s extra field. */
  const trpc = (path: string, input: object, evasion: string, headers?: Headers) => {
    const { x, meta } = EVASIONS[evasion] ?? { x: null, meta: {} };
    return send(`/trpc/${path}`, JSON.stringify({ json: { ...input, x }, meta }), headers);
  };
  /** The newest audit row of `action` (and of `userId`, when given). */
  const newest = async (action: string, userId?: number) => {
    const { items } = await listAuditEntries(services.db, { action, limit: 100 });
    return items.find((row) => userId === undefined || row.userId === userId);
  };
  const auditLine = (row: Awaited<ReturnType<typeof newest>>) =>
    row && [row.action, row.outcome, typeof row.inputHash, row.detail.input ?? null];

  for (const evasion of Object.keys(EVASIONS)) {
    const marker = evasion === 'cycle' ? 'truncated' : null;

    test(`over tRPC, ${evasion}: register, login success and failure are audited`, async () => {
      const email = uniqueEmail();
      const credentials = { email, password: TEST_PASSWORD };
      const registered = await trpc('auth.register', credentials, evasion);
      expect(registered.status).toBe(200);
      const userId = (
        (await registered.json()) as { result: { data: { json: { user: { id: number } } } } }
      ).result.data.json.user.id;
      expect(auditLine(await newest('auth.register', userId))).toEqual([
        'auth.register',
        'success',
        'string',
        marker,
      ]);
      expect((await trpc('auth.login', credentials, evasion)).status).toBe(200);
      expect(auditLine(await newest('auth.login', userId))).toEqual([
        'auth.login',
        'success',
        'string',
        marker,
      ]);
      const wrong = { email, password: 'wrong password!' };
      expect((await trpc('auth.login', wrong, evasion)).status).toBe(401);
      expect(auditLine(await newest('auth.login', userId))).toEqual([
        'auth.login',
        'failure',
        'string',
        marker,
      ]);
    });

    test(`over tRPC, ${evasion}: creating an admin API key is audited`, async () => {
      const res = await trpc(
        'apiKeys.create',
        { name: `evasion ${evasion}`, role: 'admin' },
        evasion,
        admin,
      );
      expect(res.status).toBe(200);
      const row = await newest('apiKeys.create');
      expect(auditLine(row)).toEqual(['apiKeys.create', 'success', 'string', marker]);
      const { apiKey } = (
        (await res.json()) as { result: { data: { json: { apiKey: { id: number } } } } }
      ).result.data.json;
      expect(row?.detail.apiKeyId).toBe(apiKey.id);
    });
  }

  test('over tRPC and REST, 100,000-deep nesting: logins and admin key creation are audited', async () => {
    const email = uniqueEmail();
    const pair = await send(
      '/api/v1/auth/register',
      JSON.stringify({ email, password: TEST_PASSWORD }),
    );
    const userId = ((await pair.json()) as { user: { id: number } }).user.id;
    const deep = deepJson(100_000);
    const login = (password: string) => `{"email":"${email}","password":"${password}","x":${deep}}`;
    const truncated = (action: string, outcome: string) => [action, outcome, 'string', 'truncated'];

    expect((await send('/api/v1/auth/login', login(TEST_PASSWORD))).status).toBe(200);
    expect(auditLine(await newest('auth.login', userId))).toEqual(
      truncated('auth.login', 'success'),
    );
    expect((await send('/api/v1/auth/login', login('wrong password!'))).status).toBe(401);
    expect(auditLine(await newest('auth.login', userId))).toEqual(
      truncated('auth.login', 'failure'),
    );
    expect((await send('/trpc/auth.login', `{"json":${login('wrong password!')}}`)).status).toBe(
      401,
    );
    expect(auditLine(await newest('auth.login', userId))).toEqual(
      truncated('auth.login', 'failure'),
    );

    const key = await send('/api/v1/api-keys', `{"name":"deep","role":"admin","x":${deep}}`, admin);
    expect(key.status).toBe(200);
    expect(auditLine(await newest('apiKeys.create'))).toEqual(
      truncated('apiKeys.create', 'success'),
    );
  });

  test('an input that cannot even be decoded still leaves a row, marked unreadable', async () => {
    const email = uniqueEmail();
    const body = {
      json: { email, password: TEST_PASSWORD },
      meta: { referentialEqualities: { 'no.such': ['x'] } },
    };
    const res = await send('/trpc/auth.register', JSON.stringify(body));
    expect(res.status).toBe(400);
    const row = await newest('auth.register');
    expect([row?.outcome, row?.inputHash, row?.detail.input]).toEqual([
      'failure',
      null,
      'unreadable',
    ]);
  });

  test('a row the database refuses is stored again without its detail; only a second refusal is logged', async () => {
    const call = (detail: Record<string, unknown>, db = services) => {
      const audit = new AuditHandle();
      audit.set({ action: 'test.fallback', detail });
      return recordAudit({
        ctx: { services: db, principal: null, ip: '192.0.2.1' },
        path: 'test.fallback',
        type: 'mutation',
        getRawInput: async () => ({ n: 1 }),
        audit,
        result: { ok: false, error: new TRPCError({ code: 'BAD_REQUEST' }) },
      });
    };
    // jsonb cannot hold U+0000: the detail is refused, the event is not lost.
    await call({ note: 'a\u0000b' });
    const row = await newest('test.fallback');
    expect([row?.outcome, row?.detail, typeof row?.inputHash]).toEqual([
      'failure',
      { error: 'BAD_REQUEST', audit: 'fallback' },
      'string',
    ]);
    expect(logger.lines.some((line) => line.startsWith('warn audit log write failed'))).toBe(true);

    const broken = Object.create(services, { db: { value: null } }) as Services;
    await call({}, broken);
    expect(logger.lines.at(-1)).toStartWith('error audit log write failed');
  });
});
