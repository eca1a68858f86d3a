/**
 * Slow and endless request bodies against a real server process, over raw HTTP/1.1 sockets — issue
 * 11 finding 5, second round. Before: 200 connections each sending ~1 MB and then dripping a byte
 * every 5 s were held open forever (+215 MB RSS; Bun's 10 s idle timeout never fires on a drip), and
 * a chunked upload refused with 413 was read and discarded for as long as the client sent (4 clients,
 * 9.5 GB in 6 s). Now every body has a read deadline (408, connection closed), the bytes buffered at
 * once have a process-wide budget (503 + Retry-After before reading), and a refused chunked body
 * closes the connection. The deadlines and budget are shortened here through their F1_* variables.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { connect } from 'node:net';
import { issueApiKey } from '@f1/server/auth/api-keys';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { rawRequest } from '@f1/testkit/raw-http';
import { describeWith, needs } from '@f1/testkit/skip';

const DEADLINE_S = 2;
/** Past Bun's idle timeout (Elysia sets 30 s), which body bytes arriving do not restart. */
const BULK_DEADLINE_S = 50;
const BUDGET_MIB = 16;
const JSON_HEAD = { 'content-type': 'application/json' };

async function rssMiB(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

interface Drip {
  status: number;
  head: string;
  /** Milliseconds from connecting until the socket closed (or the test gave up). */
  closedAfterMs: number;
  closed: boolean;
  sent: number;
}

/**
 * Declares `declared` bytes (or chunked when null), sends `first` bytes, then one byte every
 * `dripMs` (or, with `flood`, as fast as the socket takes them) until the server closes or `giveUpMs`.
 */
function slowUpload(
  origin: string,
  path: string,
  options: {
    declared: number | null;
    first: number;
    dripMs?: number;
    flood?: boolean;
    giveUpMs: number;
  },
): Promise<Drip> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const started = Date.now();
    let received = '';
    let sent = 0;
    let closed = false;
    const chunked = options.declared === null;
    const frame = (data: Buffer) =>
      chunked
        ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
        : data;
    const done = () => {
      clearTimeout(timer);
      const head = received.split('\r\n\r\n')[0] ?? '';
      socket.destroy();
      resolve({
        status: Number(head.split(' ')[1] ?? 0),
        head: head.toLowerCase(),
        closedAfterMs: Date.now() - started,
        closed,
        sent,
      });
    };
    const timer = setTimeout(done, options.giveUpMs);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
    });
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('error', () => {});
    socket.on('connect', async () => {
      const length = chunked ? 'transfer-encoding: chunked' : `content-length: ${options.declared}`;
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n${length}\r\n\r\n`,
      );
      const piece = Buffer.alloc(64 * 1024, 120);
      while (sent < options.first && !socket.destroyed) {
        const data = piece.subarray(0, Math.min(piece.length, options.first - sent));
        sent += data.length;
        if (!socket.write(frame(data))) await new Promise((r) => socket.once('drain', r));
      }
      while (!socket.destroyed && !closed) {
        if (options.flood) {
          sent += piece.length;
          if (!socket.write(frame(piece)))
            await new Promise((r) => {
              socket.once('drain', r);
              socket.once('close', r);
            });
        } else {
          await Bun.sleep(options.dripMs ?? 500);
          if (socket.destroyed) break;
          socket.write(frame(Buffer.from('x')));
          sent += 1;
        }
      }
    });
  });
}

describeWith(
  [needs.postgres, needs.linux],
  'slow and endless bodies on a real server process',
  () => {
    let database: TestDatabase;
    let server: ServerProcess;

    beforeAll(async () => {
      database = await freshDatabase('postgres');
      server = await startServer({
        F1_DATABASE_URL: database.url ?? '',
        F1_DB_POOL_SIZE: '2',
        F1_RATE_LIMIT_REQUESTS: '100000',
        F1_BODY_READ_TIMEOUT: String(DEADLINE_S),
        F1_BODY_BULK_READ_TIMEOUT: String(BULK_DEADLINE_S),
        F1_BODY_BUDGET_MIB: String(BUDGET_MIB),
      });
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await database?.close();
    });

    test('slow-drip uploads are answered 408 and closed at the deadline; memory stays flat', async () => {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const before = await rssMiB(server.pid);
      // 12 × ~0.9 MB declared stays inside the 16 MiB budget: each is stopped by its deadline alone.
      const drips = await Promise.all(
        Array.from({ length: 12 }, () =>
          slowUpload(server.url, '/trpc/auth.logout', {
            declared: 1_000_000,
            first: 900_000,
            dripMs: 500,
            giveUpMs: 20_000,
          }),
        ),
      );
      const after = await rssMiB(server.pid);
      const slowest = Math.max(...drips.map((d) => d.closedAfterMs));
      console.log(
        `12 slow drips: statuses ${drips.map((d) => d.status).join(',')}; all closed after ≤ ${slowest} ms; ` +
          `RSS ${before.toFixed(0)} → ${after.toFixed(0)} MiB`,
      );
      for (const drip of drips) {
        expect(drip.status).toBe(408);
        expect(drip.head).toContain('connection: close');
        expect(drip.closed).toBe(true);
      }
      expect(slowest).toBeLessThan(15_000);
      expect(after - before).toBeLessThan(64);
    }, 60_000);

    test('uploads beyond the body budget get 503 + Retry-After before their body is read', async () => {
      // 20 × 1,000,000 declared bytes, 10 sent each: 16 fit the 16 MiB budget, the rest cannot.
      const uploads = await Promise.all(
        Array.from({ length: 20 }, () =>
          rawRequest({
            origin: server.url,
            method: 'POST',
            path: '/trpc/auth.logout',
            headers: { ...JSON_HEAD, 'content-length': '1000000' },
            bodyBytes: 10,
            timeoutMs: 20_000,
          }),
        ),
      );
      const statuses = uploads.map((u) => u.status);
      console.log(`20 concurrent 1 MB uploads under a 16 MiB budget: ${statuses.sort().join(',')}`);
      const refused = uploads.filter((u) => u.status === 503);
      expect(refused.length).toBe(4);
      for (const res of refused) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.headers.connection).toBe('close');
        expect(res.body).toContain('SERVICE_UNAVAILABLE');
      }
      // The admitted ones were stopped by their deadline, which also gave their budget back.
      expect(uploads.filter((u) => u.status === 408).length).toBe(16);
      const again = await fetch(`${server.url}/trpc/auth.logout`, {
        method: 'POST',
        headers: JSON_HEAD,
        body: JSON.stringify({ json: {} }),
      });
      expect(again.status).toBeLessThan(500);
      expect(await again.text()).not.toContain('SERVICE_UNAVAILABLE');
    }, 60_000);

    test('a chunked upload over the limit that keeps sending is cut off, not discarded forever', async () => {
      const floods = await Promise.all(
        Array.from({ length: 2 }, () =>
          slowUpload(server.url, '/trpc/auth.login', {
            declared: null,
            first: 0,
            flood: true,
            giveUpMs: 15_000,
          }),
        ),
      );
      console.log(
        `chunked floods: ${floods.map((f) => `closed=${f.closed} after ${f.closedAfterMs} ms, ${(f.sent / 1e6).toFixed(1)} MB sent`).join('; ')}`,
      );
      for (const flood of floods) {
        expect(flood.closed).toBe(true);
        expect(flood.closedAfterMs).toBeLessThan(10_000);
      }
      expect(server.alive()).toBe(true);
    }, 60_000);

    test("a steady bulk upload longer than Bun's idle timeout is read to the end and answered", async () => {
      const { key } = await issueApiKey(database.db, {
        name: 'ml',
        role: 'ml_service',
        createdBy: null,
      });
      // ~36 s of a body arriving 1 KB every 0.5 s; the input is wrong, so a read body answers 400.
      const body = Buffer.from(`{"json":{"x":"${'a'.repeat(72_000)}"}}`);
      const url = new URL(server.url);
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        const socket = connect({ host: url.hostname, port: Number(url.port) });
        let received = '';
        const timer = setTimeout(() => socket.destroy(), 90_000);
        socket.on('data', (data: Buffer) => {
          received += data.toString('latin1');
        });
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(received);
        });
        socket.on('error', () => {});
        socket.on('connect', async () => {
          socket.write(
            `POST /trpc/predictions.submitBulk HTTP/1.1\r\nhost: ${url.host}\r\nx-api-key: ${key}\r\n` +
              `content-type: application/json\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n`,
          );
          for (let at = 0; at < body.length && !socket.destroyed; at += 1000) {
            socket.write(body.subarray(at, at + 1000));
            await Bun.sleep(500);
          }
        });
      });
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `steady bulk upload: answered ${answer.split('\r\n')[0]} after ${seconds.toFixed(1)} s`,
      );
      expect(seconds).toBeGreaterThan(30);
      expect(answer.split(' ')[1]).toBe('400');
      expect(answer).toContain('BAD_REQUEST');
    }, 120_000);
  },
);
