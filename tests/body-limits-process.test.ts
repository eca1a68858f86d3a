/**
 * Body limits against a real server process (`bun run start`), over raw HTTP/1.1 sockets — issue 11
 * finding 5: a 100 MB login body used to be read and parsed (RSS 96 → 297 MB; 8 at once → 1.5 GB).
 * Now a declared or streamed body over its limit is answered 413 while it is still arriving, a
 * rate-limited client's body is not read, and the server's memory stays flat. The RSS figures
 * (VmRSS/VmHWM from /proc/<pid>/status) are printed.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { rawRequest } from '@f1/testkit/raw-http';
import { describeWith, needs } from '@f1/testkit/skip';

const MB = 1_000_000;
const LOGIN = '/trpc/auth.login';
const JSON_HEAD = { 'content-type': 'application/json' };
const wrap: [string, string] = ['{"json":{"email":"a@example.test","password":"', '"}}'];

/** Resident and peak resident memory of a process, in MiB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

describeWith([needs.postgres, needs.linux], 'body limits on a real server process', () => {
  let database: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    server = await startServer({ F1_DATABASE_URL: database.url ?? '', F1_DB_POOL_SIZE: '2' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  test('8 concurrent 100 MB login bodies: all 413, and the server holds none of them', async () => {
    // Warm up (first request compiles and allocates), then measure.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const before = await memoryOf(server.pid);
    // Each declares 100 MB and sends its first 64 KiB, then waits for the answer (a client still
    // writing when the server closes may see a reset instead of the 413, which says nothing here).
    const declared = await Promise.all(
      Array.from({ length: 8 }, () =>
        rawRequest({
          origin: server.url,
          method: 'POST',
          path: LOGIN,
          headers: { ...JSON_HEAD, 'content-length': String(100 * MB) },
          bodyBytes: 64 * 1024,
          wrap,
        }),
      ),
    );
    const after = await memoryOf(server.pid);
    const fmt = (m: { rss: number; peak: number }) =>
      `RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)} MiB)`;
    console.log(
      `server memory: before ${fmt(before)}; after 8 concurrent 100 MB login bodies ${fmt(after)}; ` +
        `statuses ${declared.map((r) => r.status).join(',')}`,
    );
    for (const res of declared) {
      expect(res.status).toBe(413);
      expect(res.body).toContain('PAYLOAD_TOO_LARGE');
      // Refused unread: the connection closes rather than read the rest.
      expect(res.headers.connection).toBe('close');
    }
    // Buffering even one of the bodies would add 100 MB; generous for allocator noise.
    expect(after.peak - before.peak).toBeLessThan(64);
  }, 120_000);

  test('Content-Length over the limit is answered at once: the body is never waited for', async () => {
    // 10 bytes of a declared 100 MB, then nothing: a server that reads first never answers.
    const res = await rawRequest({
      origin: server.url,
      method: 'POST',
      path: LOGIN,
      headers: { ...JSON_HEAD, 'content-length': String(100 * MB) },
      bodyBytes: 10,
      timeoutMs: 20_000,
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain('1 MiB');
    const rest = await rawRequest({
      origin: server.url,
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { ...JSON_HEAD, 'content-length': String(100 * MB) },
      bodyBytes: 10,
      timeoutMs: 20_000,
    });
    expect(rest.status).toBe(413);
    expect(JSON.parse(rest.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  }, 60_000);

  test('a rate-limited client sending a huge body gets 429 without it being read', async () => {
    // Spend the login limit (10 per minute per IP; earlier tests counted some of it).
    let status = 0;
    for (let i = 0; i < 11 && status !== 429; i++) {
      const res = await fetch(`${server.url}${LOGIN}`, {
        method: 'POST',
        headers: JSON_HEAD,
        body: JSON.stringify({ json: { email: `spent-${i}@example.test`, password: 'x' } }),
      });
      status = res.status;
    }
    expect(status).toBe(429);
    const res = await rawRequest({
      origin: server.url,
      method: 'POST',
      path: LOGIN,
      headers: { ...JSON_HEAD, 'content-length': String(100 * MB) },
      bodyBytes: 10,
      timeoutMs: 20_000,
    });
    expect(res.status).toBe(429);
    expect(res.body).toContain('TOO_MANY_REQUESTS');
  }, 60_000);
});
