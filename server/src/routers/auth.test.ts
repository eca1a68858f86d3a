import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { listAuditEntries } from '@f1/db/auth/audit';
import {
  authServices,
  bearer,
  recordingLogger,
  TEST_PASSWORD,
  uniqueEmail,
} from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { testConfig } from '@f1/testkit/config';
import { settle } from '@f1/testkit/errors';
import { testApp, testClient, testServerRedisIfAny } from '@f1/testkit/server';
import { available, needs } from '@f1/testkit/skip';
import { SignJWT } from 'jose';
import { AccessTokens } from '../auth/access-tokens.ts';
import type { Services } from '../services.ts';

/** The tRPC error code and HTTP status a call failed with (or 'OK'). */
async function outcome(call: Promise<unknown>): Promise<string> {
  const error = await settle(call);
  return error ? `${error.code} ${error.httpStatus}` : 'OK';
}

async function message(call: Promise<unknown>): Promise<string> {
  return (await settle(call))?.message ?? 'no error';
}

available('auth flow on Redis sessions (runs on in-process sessions instead)', needs.redis);

describeEachBackend('auth flow', (database) => {
  let redis: Redis | null = null;
  let services: Services;
  let app: ReturnType<typeof testApp>;
  const logger = recordingLogger();
  beforeAll(async () => {
    redis = await testServerRedisIfAny();
    // These tests register and log in far more often than a real client; the limits have their own tests.
    const roomy = { limit: 1_000 };
    services = authServices({
      database: database(),
      redis,
      logger,
      rateLimitOverrides: {
        register: roomy,
        login: roomy,
        loginAccount: roomy,
        authRefresh: roomy,
      },
    });
    app = testApp(services);
  });
  afterAll(() => redis?.disconnect());
  const anonymous = () => testClient(app);
  const as = (token: string) => testClient(app, { headers: bearer(token) });

  test('register → login → refresh → use → logout', async () => {
    const email = uniqueEmail();
    const registered = await anonymous().auth.register.mutate({
      email: email.toUpperCase(),
      password: TEST_PASSWORD,
      name: 'Ada',
    });
    expect(registered.user).toMatchObject({ email, name: 'Ada', role: 'user' });
    expect(registered.tokenType).toBe('Bearer');
    expect(registered.expiresIn).toBe(15 * 60);
    expect(registered.refreshToken).toMatch(/^f1r_/);
    expect(Object.keys(registered)).not.toContain('sessionId');

    const login = await anonymous().auth.login.mutate({ email, password: TEST_PASSWORD });
    const me = await as(login.accessToken).auth.me.query();
    expect(me.kind === 'user' && me.user.email).toBe(email);

    const sessions = await as(login.accessToken).auth.sessions.query();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.find((s) => s.current)?.id).toBe(me.kind === 'user' ? me.sessionId : '');

    const refreshed = await anonymous().auth.refresh.mutate({ refreshToken: login.refreshToken });
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    expect(refreshed.user.id).toBe(login.user.id);
    const again = await as(refreshed.accessToken).auth.me.query();
    expect(again.kind === 'user' && again.sessionId).toBe(me.kind === 'user' ? me.sessionId : '');

    expect(await as(refreshed.accessToken).auth.logout.mutate()).toEqual({ revoked: true });
    // Both access tokens of the ended session stop working at once, and so does its refresh token.
    expect(await outcome(as(refreshed.accessToken).auth.me.query())).toBe('UNAUTHORIZED 401');
    expect(await outcome(as(login.accessToken).auth.me.query())).toBe('UNAUTHORIZED 401');
    expect(
      await outcome(anonymous().auth.refresh.mutate({ refreshToken: refreshed.refreshToken })),
    ).toBe('UNAUTHORIZED 401');
    // The registration session is untouched; logoutAll ends it too.
    expect(await as(registered.accessToken).auth.logoutAll.mutate()).toEqual({ revoked: 1 });
    expect(await outcome(as(registered.accessToken).auth.me.query())).toBe('UNAUTHORIZED 401');
  });

  test('a revoked session answers 401 on protected procedures, while public ones still run', async () => {
    const email = uniqueEmail();
    const pair = await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    await as(pair.accessToken).auth.logout.mutate();
    const res = await app.handle(
      new Request('http://test.local/trpc/auth.me', { headers: bearer(pair.accessToken) }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await res.text()).toContain('the session has ended');
    // An expired or revoked token does not lock the client out of public procedures (e.g. refresh).
    expect((await as(pair.accessToken).health.query()).status).toBe('ok');
  });

  test('expired, tampered, wrong-secret, alg:none and algorithm-confusion tokens get 401', async () => {
    const email = uniqueEmail();
    const pair = await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    const me = await as(pair.accessToken).auth.me.query();
    const sessionId = me.kind === 'user' ? me.sessionId : '';
    const claims = { userId: pair.user.id, role: 'admin' as const, sessionId };
    const [header = '', payload = '', signature = ''] = pair.accessToken.split('.');
    const secret = new TextEncoder().encode(services.config.jwt.secret);
    const forged = (alg: string) => {
      const h = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt' })).toString('base64url');
      return `${h}.${payload}.`;
    };
    const adminPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        role: 'admin',
      }),
    ).toString('base64url');
    const bad = {
      expired: await services.accessTokens.sign({
        ...claims,
        now: new Date(Date.now() - 3_600_000),
      }),
      tampered: `${header}.${adminPayload}.${signature}`,
      flippedSignature: `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
      wrongSecret: await new AccessTokens(
        testConfig({ F1_JWT_SECRET_KEY: 'another-secret-'.padEnd(40, 'y') }).jwt,
      ).sign(claims),
      algNone: forged('none'),
      algNoneUpper: forged('NONE'),
      // HS512 with the right secret is still not HS256: the algorithm is pinned, not negotiated.
      hs512: await new SignJWT({ role: 'admin', sid: sessionId })
        .setProtectedHeader({ alg: 'HS512', typ: 'at+jwt' })
        .setSubject(String(pair.user.id))
        .setIssuer(services.config.jwt.issuer)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret),
      // The same secret, right algorithm, but not an access token (no `typ: at+jwt`).
      otherTyp: await new SignJWT({ role: 'admin', sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(pair.user.id))
        .setIssuer(services.config.jwt.issuer)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret),
      wrongIssuer: await new SignJWT({ role: 'admin', sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setSubject(String(pair.user.id))
        .setIssuer('someone-else')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret),
      garbage: 'not.a.jwt',
    };
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(bad).map(async ([name, token]) => [
          name,
          await outcome(as(token).auth.me.query()),
        ]),
      ),
    );
    expect(results).toEqual(
      Object.fromEntries(Object.keys(bad).map((k) => [k, 'UNAUTHORIZED 401'])),
    );
    expect(await message(as(bad.expired).auth.me.query())).toBe('access token expired');
    // Control: the genuine token works.
    expect(await outcome(as(pair.accessToken).auth.me.query())).toBe('OK');
  });

  test('a replayed refresh token revokes the whole family, is logged and audited', async () => {
    const email = uniqueEmail();
    const first = await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    const second = await anonymous().auth.refresh.mutate({ refreshToken: first.refreshToken });
    const third = await anonymous().auth.refresh.mutate({ refreshToken: second.refreshToken });
    // The attacker (or a confused client) presents the first, already-used token.
    expect(
      await outcome(anonymous().auth.refresh.mutate({ refreshToken: first.refreshToken })),
    ).toBe('UNAUTHORIZED 401');
    // Everything of that session is dead: the newest refresh token and every access token.
    expect(
      await outcome(anonymous().auth.refresh.mutate({ refreshToken: third.refreshToken })),
    ).toBe('UNAUTHORIZED 401');
    expect(await outcome(as(third.accessToken).auth.me.query())).toBe('UNAUTHORIZED 401');
    expect(logger.lines.some((l) => l.includes('refresh token reuse'))).toBe(true);
    const { items } = await listAuditEntries(services.db, {
      action: 'auth.refresh.reuse',
      userId: first.user.id,
      limit: 10,
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ outcome: 'denied', detail: { sessionRevoked: true } });
  });

  test('login fails alike for an unknown email and a wrong password', async () => {
    const email = uniqueEmail();
    await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    const a = await message(anonymous().auth.login.mutate({ email, password: 'not the password' }));
    const b = await message(
      anonymous().auth.login.mutate({ email: uniqueEmail('nobody'), password: 'not the password' }),
    );
    expect(a).toBe('invalid email or password');
    expect(b).toBe(a);
    expect(await outcome(anonymous().auth.login.mutate({ email, password: 'x'.repeat(20) }))).toBe(
      'UNAUTHORIZED 401',
    );
  });

  test('login takes similar time for an unknown email and a wrong password', async () => {
    // Not a speed assertion: a ratio between two paths measured side by side. Without the dummy
    // bcrypt verification the unknown-email path would be ~50× faster (a DB lookup vs ~65 ms of bcrypt).
    const email = uniqueEmail();
    await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    const time = async (body: { email: string; password: string }) => {
      const start = performance.now();
      await anonymous()
        .auth.login.mutate(body)
        .catch(() => {});
      return performance.now() - start;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      wrong.push(await time({ email, password: `wrong password ${i}` }));
      unknown.push(await time({ email: uniqueEmail('ghost'), password: `wrong password ${i}` }));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const ratio = median(unknown) / median(wrong);
    console.log(
      `login timing: wrong password ${median(wrong).toFixed(1)} ms, unknown email ${median(unknown).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  test('registration enforces the password policy with messages naming the rule', async () => {
    const email = uniqueEmail();
    const cases: [string, RegExp][] = [
      ['short', /at least 12 characters/],
      ['é'.repeat(40), /at most 72 bytes/],
      [email, /must not be the email/],
      ['aaaaaaaaaaaaaaaa', /4 different characters/],
    ];
    for (const [password, expected] of cases) {
      const call = anonymous().auth.register.mutate({ email, password });
      expect(await outcome(call)).toBe('BAD_REQUEST 400');
      expect(await message(anonymous().auth.register.mutate({ email, password }))).toMatch(
        expected,
      );
    }
    await anonymous().auth.register.mutate({ email, password: TEST_PASSWORD });
    expect(
      await outcome(anonymous().auth.register.mutate({ email, password: TEST_PASSWORD })),
    ).toBe('CONFLICT 409');
    expect(
      await outcome(anonymous().auth.register.mutate({ email: 'nope', password: TEST_PASSWORD })),
    ).toBe('BAD_REQUEST 400');
  });
});
