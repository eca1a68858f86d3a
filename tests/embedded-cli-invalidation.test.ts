/**
 * The README's quick start without Redis: a server on the embedded database, then `bun run ingest`,
 * `ratings` … beside it. The CLI writes through the server's database, but its data-change pipeline
 * only told its own process's caches: the server kept answering `drivers.list` with an empty page and
 * `races.last` with null for their TTLs (24 h), and SSE subscribers never heard of a CLI backtest's
 * predictions. Now a CLI that is a client of the embedded owner publishes its invalidations and
 * prediction updates with `pg_notify` on the shared session, and the owner delivers them to its
 * caches and its SSE hub.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, run, startServer } from '@f1/testkit/processes';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';

const dir = mkdtempSync(path.join(tmpdir(), 'f1-embedded-invalidation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) =>
  run(['bun', ...args], {
    cwd: ROOT,
    isolated: true,
    env: { F1_ENVIRONMENT: 'test', F1_LOG_LEVEL: 'warn', F1_DATA_DIR: dir },
  });

test('a CLI import beside an embedded server without Redis: the server stops serving the stale answer', async () => {
  const server = await startServer({ F1_DATA_DIR: dir });
  try {
    const get = async (p: string) => (await fetch(`${server.url}/api/v1${p}`)).json();
    // Cached while the database is empty.
    expect(await get('/drivers?season=2021')).toEqual({ items: [], nextCursor: null });
    expect(await get('/races/last')).toBeNull();

    const imported = await cli(['jobs/src/cli/main.ts', 'import-csv', MINI_EXPORT_DIR]);
    expect(imported.code, imported.stderr).toBe(0);

    // The invalidation travels asynchronously (a notification on the shared session).
    const deadline = Date.now() + 5_000;
    let drivers = (await get('/drivers?season=2021')) as { items?: unknown[] };
    while (drivers.items?.length === 0 && Date.now() < deadline) {
      await Bun.sleep(250);
      drivers = (await get('/drivers?season=2021')) as { items?: unknown[] };
    }
    expect(drivers.items?.length ?? drivers).toBeGreaterThan(0);
    expect(await get('/races/last')).toMatchObject({ season: 2021 });

    // A backtest from the CLI: an SSE subscriber of the server hears its predictions.
    const input = encodeURIComponent(JSON.stringify({ json: { season: 2021, round: 1 } }));
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/trpc/predictions.onUpdate?input=${input}`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    let seen = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      while (reader && !seen.includes('"kind":"predictions"')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
    })().catch(() => {});
    const backtest = await cli(['jobs/src/baseline/cli.ts', '2021', '2021']);
    expect(backtest.code, backtest.stderr).toBe(0);
    await Promise.race([reading, Bun.sleep(5_000)]);
    controller.abort();
    expect(seen).toContain('"kind":"predictions"');
    expect(seen).toContain('"backtest":true');
    expect(server.alive()).toBe(true);
  } finally {
    await server.stop();
  }
}, 120_000);
