/**
 * Regression: calls refused before they ran wrote no audit row — 200 `auth.login` in a batch wrote 5
 * rows, 12 `auth.register` wrote 5, and REST/tRPC bodies refused before parsing (400, 415, 413) none
 * — so a brute force was invisible. Now each refusal is audited, coalesced per caller + action +
 * reason into at most one row per second that carries the `count` it stands for.
 */
import { beforeAll, describe, expect, test } from 'bun:test';
import { type AuditRecord, listAuditEntries } from '@f1/db/auth/audit';
import {
  authServices,
  bearer,
  recordingLogger,
  TEST_PASSWORD,
  uniqueEmail,
  userWithToken,
} from '@f1/testkit/auth';
import { describeEachBackend } from '@f1/testkit/backends';
import { freshDatabase } from '@f1/testkit/postgres';
import { testApp } from '@f1/testkit/server';
import type { Services } from '../services.ts';
import { flushRefusals, noteRefusal, REFUSAL_WINDOW_MS } from './refusals.ts';

const post = (app: ReturnType<typeof testApp>, path: string, body: string, headers = {}) =>
  app.handle(
    new Request(`http://test.local${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }),
  );

async function rows(services: Services, action: string): Promise<AuditRecord[]> {
  await flushRefusals(services);
  return (await listAuditEntries(services.db, { action, limit: 500 })).items;
}

const refusals = (all: AuditRecord[], refused: string) =>
  all.filter((row) => row.detail.refused === refused);
const countOf = (all: AuditRecord[]) => all.reduce((sum, row) => sum + Number(row.detail.count), 0);

describeEachBackend('refused calls are audited', (database) => {
  test('a batch of 200 logins: 5 ran, 195 refused are in the audit as denied, in few rows', async () => {
    const services = authServices({ database: database() });
    const app = testApp(services);
    const email = uniqueEmail();
    const input = { json: { email, password: 'wrong password!' } };
    const paths = Array.from({ length: 200 }, () => 'auth.login').join(',');
    const body = JSON.stringify(
      Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i, input])),
    );
    const started = Date.now();
    const res = await post(app, `/trpc/${paths}?batch=1`, body);
    const statuses = (
      (await res.json()) as { error?: { json: { data: { httpStatus: number } } } }[]
    ).map((call) => call.error?.json.data.httpStatus);
    expect(statuses.filter((s) => s === 429).length).toBe(195);
    const all = await rows(services, 'auth.login');
    const refused = refusals(all, 'rate_limited');
    expect(all.length - refused.length).toBe(5); // the calls that ran, audited as before
    expect(countOf(refused)).toBe(195);
    expect(refused.every((row) => row.outcome === 'denied')).toBe(true);
    // The bound: one row per caller + action + reason per window, not one per refusal.
    const windows = Math.ceil((Date.now() - started) / REFUSAL_WINDOW_MS) + 1;
    expect(refused.length).toBeLessThanOrEqual(windows);
  });

  test('12 registrations: the 7 refused before their body was read are audited', async () => {
    const services = authServices({ database: database() });
    const app = testApp(services);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const input = { json: { email: uniqueEmail(), password: TEST_PASSWORD } };
      statuses.push((await post(app, '/trpc/auth.register', JSON.stringify(input))).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBe(7);
    const refused = refusals(await rows(services, 'auth.register'), 'rate_limited');
    expect([countOf(refused), refused.every((row) => row.outcome === 'denied')]).toEqual([7, true]);
  });

  test('REST registrations past the limit: the 429s are audited as denied', async () => {
    const services = authServices({
      database: database(),
      rateLimitOverrides: { register: { limit: 1 } },
    });
    const app = testApp(services);
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify({ email: uniqueEmail(), password: TEST_PASSWORD });
      statuses.push((await post(app, '/api/v1/auth/register', body)).status);
    }
    expect(statuses).toEqual([200, 429, 429]);
    const refused = refusals(await rows(services, 'auth.register'), 'rate_limited').filter(
      (row) => Date.parse(String(row.detail.since)) >= started, // not the earlier test's rows
    );
    expect([countOf(refused), refused[0]?.outcome]).toEqual([2, 'denied']);
  });

  test('without a flush, the window timer writes the row', async () => {
    const services = authServices({ database: database() });
    noteRefusal(services, { principal: null, ip: null, action: 'x.timer', refused: 'unreadable' });
    let found: AuditRecord[] = [];
    for (let tries = 0; tries < 200 && found.length === 0; tries++) {
      await Bun.sleep(100);
      found = (await listAuditEntries(services.db, { action: 'x.timer', limit: 5 })).items;
    }
    expect(found.map((row) => [row.outcome, row.detail.count])).toEqual([['failure', 1]]);
  });

  describe('bodies refused before parsing', () => {
    let services: Services;
    let app: ReturnType<typeof testApp>;
    let admin: Record<string, string>;
    beforeAll(async () => {
      const many = { limit: 10_000 };
      services = authServices({
        database: database(),
        rateLimitOverrides: { login: many, loginAccount: many },
      });
      app = testApp(services);
      admin = bearer((await userWithToken(services, 'admin')).token);
    });
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });

    test('REST login: invalid JSON 400, non-JSON 415, over 1 MiB 413 — each a failure row', async () => {
      expect((await post(app, '/api/v1/auth/login', '{"email":')).status).toBe(400);
      const asText = { 'content-type': 'text/plain' };
      expect((await post(app, '/api/v1/auth/login', '{}', asText)).status).toBe(415);
      expect((await post(app, '/api/v1/auth/login', big)).status).toBe(413);
      const all = await rows(services, 'auth.login');
      for (const refused of ['unreadable', 'unsupported_media_type', 'body_too_large']) {
        const found = refusals(all, refused);
        expect([refused, countOf(found), found[0]?.outcome]).toEqual([refused, 1, 'failure']);
      }
    });

    test('a compressed body (Content-Encoding) is 415 on REST and tRPC before it is read, audited', async () => {
      const gzip = { 'content-encoding': 'gzip' };
      const login = JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-1' });
      const packed = Bun.gzipSync(new TextEncoder().encode(login));
      for (const [path, body] of [
        ['/api/v1/auth/register', packed],
        ['/trpc/auth.register', Bun.gzipSync(new TextEncoder().encode(`{"json":${login}}`))],
      ] as const) {
        const res = await app.handle(
          new Request(`http://test.local${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...gzip },
            body,
          }),
        );
        expect(res.status).toBe(415);
        expect(JSON.stringify(await res.json())).toContain(
          'content-encoding \\"gzip\\" is not accepted: send the body uncompressed',
        );
      }
      // A plain body labelled br is refused too (it would otherwise be read as it is).
      const labelled = await post(app, '/api/v1/auth/login', login, { 'content-encoding': 'br' });
      expect(labelled.status).toBe(415);
      // identity is no coding: the login is read (and refused for its credentials).
      const plain = await post(app, '/api/v1/auth/login', login, {
        'content-encoding': 'identity',
      });
      expect(plain.status).toBe(401);
      const refused = refusals(await rows(services, 'auth.register'), 'unsupported_media_type');
      expect(countOf(refused)).toBe(2);
    });

    test('apiKeys.create over 1 MiB, REST and tRPC: a row naming the admin', async () => {
      expect((await post(app, '/api/v1/api-keys', big, admin)).status).toBe(413);
      expect((await post(app, '/trpc/apiKeys.create', `{"json":${big}}`, admin)).status).toBe(413);
      expect((await post(app, '/trpc/auth.login', `{"json":${big}}`)).status).toBe(413);
      const tooLarge = refusals(await rows(services, 'apiKeys.create'), 'body_too_large');
      expect(countOf(tooLarge)).toBe(2);
      expect(tooLarge.every((row) => row.userId !== null && row.outcome === 'failure')).toBe(true);
      expect(countOf(refusals(await rows(services, 'auth.login'), 'body_too_large'))).toBe(2);
    });
  });

  test('coalescing: 1,000 refusals of one caller become one row; another caller its own', async () => {
    const services = authServices({ database: database() });
    for (let i = 0; i < 1000; i++)
      noteRefusal(services, {
        principal: null,
        ip: '192.0.2.1',
        action: 'x.flood',
        refused: 'rate_limited',
      });
    noteRefusal(services, {
      principal: null,
      ip: '192.0.2.2',
      action: 'x.flood',
      refused: 'rate_limited',
    });
    const all = await rows(services, 'x.flood');
    expect(all.map((row) => [row.ip, row.detail.count]).sort()).toEqual([
      ['192.0.2.1', 1000],
      ['192.0.2.2', 1],
    ]);
  });
});

test('a database that refuses the write: logged, never thrown', async () => {
  const gone = await freshDatabase('pglite');
  const logger = recordingLogger();
  const services = authServices({ database: gone, logger });
  await gone.close();
  noteRefusal(services, { principal: null, ip: null, action: 'x.down', refused: 'unreadable' });
  await flushRefusals(services);
  expect(
    logger.lines.filter((line) => line.startsWith('error audit log write failed')),
  ).toHaveLength(1);
});
