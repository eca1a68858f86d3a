/**
 * Sessions against the real auth procedures, in-process: an access token the server refuses is
 * renewed once through auth.refresh (rotating the refresh token) and the call retried.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Services } from '@f1/server/services';
import { authServices, TEST_PASSWORD, userWithToken } from '@f1/testkit/auth';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp } from '@f1/testkit/server';
import { createF1Client } from './client.ts';
import { errorDetails } from './errors.ts';
import type { F1Session } from './session.ts';

let database: TestDatabase;
let services: Services;
let app: ReturnType<typeof testApp>;
const refreshCalls: string[] = [];
const inProcess = async (input: string, init?: RequestInit) => {
  if (input.includes('auth.refresh')) refreshCalls.push(input);
  return app.handle(new Request(input, init));
};

beforeAll(async () => {
  database = await freshDatabase('pglite');
  services = authServices({ database });
  app = testApp(services);
}, 60_000);
afterAll(() => database.close());

describe('sessions', () => {
  test('a refused access token is refreshed once (rotated) and the call succeeds', async () => {
    const { email, refreshToken } = await userWithToken(services);
    const changes: (F1Session | null)[] = [];
    const f1 = createF1Client({
      url: 'http://api.test',
      fetch: inProcess,
      session: { accessToken: 'expired-or-garbage', refreshToken },
      onSessionChange: (session) => changes.push(session),
    });
    refreshCalls.length = 0;
    const me = await f1.auth.me.query();
    expect(me.kind === 'user' && me.user.email).toBe(email);
    expect(refreshCalls.length).toBe(1);
    expect(changes.length).toBe(1);
    expect(changes[0]?.refreshToken).not.toBe(refreshToken); // rotated
    // The renewed session keeps working without another refresh.
    await f1.auth.me.query();
    expect(refreshCalls.length).toBe(1);
  });

  test('a session that cannot be renewed ends: UNAUTHORIZED, and the change is reported', async () => {
    const changes: (F1Session | null)[] = [];
    const f1 = createF1Client({
      url: 'http://api.test',
      fetch: inProcess,
      session: { accessToken: 'garbage', refreshToken: 'not-a-refresh-token' },
      onSessionChange: (session) => changes.push(session),
    });
    const error = await f1.auth.me.query().catch((e: unknown) => e);
    expect(errorDetails(error)).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(changes).toEqual([null]);
  });

  test("auth.login's answer is a session as it is", async () => {
    const { email } = await userWithToken(services);
    const anonymous = createF1Client({ url: 'http://api.test', fetch: inProcess });
    const session = await anonymous.auth.login.mutate({ email, password: TEST_PASSWORD });
    const f1 = createF1Client({ url: 'http://api.test', fetch: inProcess, session });
    const me = await f1.auth.me.query();
    expect(me.kind).toBe('user');
  });
});
