/**
 * PostgreSQL without Redis, with real processes. A CLI's data-change pipeline used to tell only its
 * own process's caches, so a server kept answering from its caches after `bun run ingest import-csv`
 * (REST up to 24 h, the Ergast facade 1 h); two servers on one PostgreSQL each invalidated only
 * themselves. Now every process without Redis sends its invalidations and prediction updates as
 * `NOTIFY`s on the database, and every server LISTENs (skipping its own).
 *
 * 1. A server on PostgreSQL, answers cached, then a CLI import → the server's next answers are new;
 *    a CLI backtest → the server's SSE subscribers hear of it.
 * 2. Two servers on one PostgreSQL: a prediction submitted through one drops the other's cached
 *    answer, and each server's SSE subscriber hears of it once (no echo, no loop).
 * 3. PostgreSQL restarted under a server (a PostgreSQL of the test's own): the server hears a CLI
 *    import made after the restart.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { connectPostgres } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { createApiKeyWithCli } from '@f1/testkit/live-server';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type PrivatePostgres, startPrivatePostgres } from '@f1/testkit/private-postgres';
import { ROOT, run, type ServerProcess, startServer } from '@f1/testkit/processes';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';
import { until } from '@f1/testkit/wait';

/** No Redis for anyone: empty is unset. */
const NO_REDIS = { F1_REDIS_URL: '' };

const cli = (args: string[], databaseUrl: string) =>
  run(['bun', ...args], {
    cwd: ROOT,
    isolated: true,
    env: {
      F1_ENVIRONMENT: 'test',
      F1_LOG_LEVEL: 'warn',
      F1_DATABASE_URL: databaseUrl,
      ...NO_REDIS,
    },
  });

const getJson = async (server: ServerProcess, p: string) =>
  (await fetch(`${server.url}${p}`)).json();

/** Polls `read` until `done` holds of its answer (within 5 s), then returns the answer. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  const deadline = Date.now() + 5_000;
  while (!done(value) && Date.now() < deadline) {
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

/** An SSE subscriber of a race's prediction updates; `count()` is how many events it has heard. */
async function subscribe(server: ServerProcess, round: number) {
  const input = encodeURIComponent(JSON.stringify({ json: { season: MINI_SEASON, round } }));
  const controller = new AbortController();
  const stream = await fetch(`${server.url}/trpc/predictions.onUpdate?input=${input}`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(stream.status).toBe(200);
  let seen = '';
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream.body ?? []) seen += decoder.decode(chunk, { stream: true });
  })().catch(() => {});
  return {
    text: () => seen,
    count: () => seen.split('"kind":"predictions"').length - 1,
    close: () => controller.abort(),
  };
}

type Drivers = { items?: unknown[] };
type ErgastDrivers = { MRData?: { total?: string } };

describeWith([needs.postgres], 'PostgreSQL without Redis: a CLI beside a server', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await freshDatabase('postgres');
    server = await startServer({
      F1_DATABASE_URL: database.url ?? '',
      F1_DB_POOL_SIZE: '2',
      ...NO_REDIS,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  test('a CLI import and backtest reach the running server: new answers, SSE events', async () => {
    const url = database.url ?? '';
    // Cached while the database is empty: REST, and the Ergast facade (asked twice: really cached).
    for (let i = 0; i < 2; i++) {
      expect(await getJson(server, '/api/v1/drivers?season=2021')).toEqual({
        items: [],
        nextCursor: null,
      });
      expect(await getJson(server, '/api/v1/races/last')).toBeNull();
      expect(
        ((await getJson(server, '/ergast/f1/2021/drivers.json')) as ErgastDrivers).MRData?.total,
      ).toBe('0');
    }

    const imported = await cli(['jobs/src/cli/main.ts', 'import-csv', MINI_EXPORT_DIR], url);
    expect(imported.code, imported.stderr).toBe(0);

    const drivers = await eventually(
      async () => (await getJson(server, '/api/v1/drivers?season=2021')) as Drivers,
      (d) => (d.items?.length ?? 0) > 0,
    );
    expect(drivers.items?.length ?? drivers).toBeGreaterThan(0);
    expect(await getJson(server, '/api/v1/races/last')).toMatchObject({ season: 2021 });
    const ergast = (await getJson(server, '/ergast/f1/2021/drivers.json')) as ErgastDrivers;
    expect(Number(ergast.MRData?.total)).toBe(drivers.items?.length ?? -1);

    // A backtest from the CLI: an SSE subscriber of the server hears its predictions.
    const subscriber = await subscribe(server, 1);
    try {
      const backtest = await cli(['jobs/src/baseline/cli.ts', '2021', '2021'], url);
      expect(backtest.code, backtest.stderr).toBe(0);
      await until(async () => subscriber.count() > 0, 5_000).catch(() => {});
      expect(subscriber.text()).toContain('"kind":"predictions"');
      expect(subscriber.text()).toContain('"backtest":true');
    } finally {
      subscriber.close();
    }
    expect(server.alive()).toBe(true);
    expect(server.errors()).not.toMatch(/malformed/);
  }, 120_000);
});

describeWith([needs.postgres], 'PostgreSQL without Redis: two server processes', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let apiKey = '';
  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await seedPredictionRaces(database.db);
    const env = { F1_DATABASE_URL: database.url ?? '', F1_DB_POOL_SIZE: '2', ...NO_REDIS };
    apiKey = await createApiKeyWithCli(env, 'peer-model', 'ml_service');
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.close();
  });

  test("a prediction submitted through one drops the other's cached answer; each SSE hears it once", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error('servers not started');
    const predictions = `/api/v1/seasons/${MINI_SEASON}/races/3/predictions`;
    type Sets = { sets?: { model: string }[] };
    for (const server of [a, b, b])
      expect(await getJson(server, predictions)).toMatchObject({ sets: [] });
    const [onA, onB] = await Promise.all([subscribe(a, 3), subscribe(b, 3)]);
    try {
      const submitted = await fetch(`${a.url}/api/v1/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({
          season: MINI_SEASON,
          round: 3,
          model: 'peer',
          version: '1',
          entries: entriesFor(),
        }),
      });
      expect(submitted.status, await submitted.clone().text()).toBe(200);
      expect(await submitted.json()).toMatchObject({ status: 'created' });

      const onOther = await eventually(
        async () => (await getJson(b, predictions)) as Sets,
        (x) => (x.sets?.length ?? 0) > 0,
      );
      expect(onOther.sets?.map((s) => s.model)).toEqual(['peer']);
      expect(((await getJson(a, predictions)) as Sets).sets?.map((s) => s.model)).toEqual(['peer']);

      await until(async () => onA.count() > 0 && onB.count() > 0, 5_000).catch(() => {});
      // Time for an echo (A hearing its own notification) or a loop (B sending it back) to show.
      await Bun.sleep(1_000);
      expect([onA.count(), onB.count()]).toEqual([1, 1]);
    } finally {
      onA.close();
      onB.close();
    }
    for (const server of [a, b]) {
      expect(server.alive()).toBe(true);
      expect(server.errors()).not.toMatch(/malformed/);
    }
  }, 60_000);
});

describeWith([needs.privatePostgres], 'PostgreSQL without Redis, restarted under a server', () => {
  let pg: PrivatePostgres;
  let server: ServerProcess;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const setup = connectPostgres(pg.url, 1);
    try {
      await migrateToLatest(setup.db);
    } finally {
      await setup.close();
    }
    server = await startServer({ F1_DATABASE_URL: pg.url, F1_DB_POOL_SIZE: '2', ...NO_REDIS });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
  });

  test('after PostgreSQL restarts, a CLI import still reaches the server', async () => {
    expect(await getJson(server, '/api/v1/drivers?season=2021')).toEqual({
      items: [],
      nextCursor: null,
    });
    await pg.stop('immediate');
    await Bun.sleep(500);
    await pg.start();
    // Back once /health says so; the listening connection is re-opened by then or soon after.
    await until(
      async () => (await fetch(`${server.url}/health`).catch(() => null))?.status === 200,
      10_000,
    );
    await until(async () => server.logs().includes('caches cleared'), 10_000);
    // Cached again after the reconnect (which cleared the caches): only a notification can drop it.
    for (let i = 0; i < 2; i++)
      expect(await getJson(server, '/api/v1/drivers?season=2021')).toEqual({
        items: [],
        nextCursor: null,
      });

    const imported = await cli(['jobs/src/cli/main.ts', 'import-csv', MINI_EXPORT_DIR], pg.url);
    expect(imported.code, imported.stderr).toBe(0);
    const drivers = await eventually(
      async () => (await getJson(server, '/api/v1/drivers?season=2021')) as Drivers,
      (d) => (d.items?.length ?? 0) > 0,
    );
    expect(drivers.items?.length ?? drivers).toBeGreaterThan(0);
    expect(server.alive()).toBe(true);
  }, 90_000);
});
