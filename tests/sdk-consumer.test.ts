/**
 * The SDK as a user outside this repository gets it: `bun run sdk:pack`'s tarball installed with npm
 * into a fresh project (no workspace links), type-checked by tsc with `skipLibCheck: false`, then run
 * against a live server under Node and under Bun. The project is tests/consumer (excluded from the
 * workspace's tsconfig), copied to a temporary folder.
 *
 * Needs the npm registry for the SDK's own dependencies (@trpc/*, superjson) and @types/node.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createApiKeyWithCli,
  type LiveServer,
  seedMiniSeasonWithStandings,
  startLiveServer,
} from '@f1/testkit/live-server';
import { ROOT, run } from '@f1/testkit/processes';
import { declarationProblems, type PackResult, packSdk } from '../sdk/scripts/pack.ts';

const TSC = path.join(ROOT, 'node_modules/.bin/tsc');
let work: string;
let app: string;
let packed: PackResult;
let server: LiveServer;
let mlKey = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'f1-consumer-'));
  app = path.join(work, 'app');
  packed = await packSdk(work);
  cpSync(path.join(ROOT, 'tests/consumer'), app, { recursive: true });
  const install = await run(
    [
      'npm',
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      packed.tarball,
      '@types/node@20',
      'eventsource@4.1.1',
    ],
    { cwd: app, timeoutMs: 300_000 },
  );
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  server = await startLiveServer({
    seed: seedMiniSeasonWithStandings,
    prepare: async (env) => {
      mlKey = await createApiKeyWithCli(env, 'consumer-ml-service', 'ml_service');
    },
  });
}, 400_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed SDK', () => {
  test('ships JS and one self-contained .d.ts (size reported)', () => {
    const dts = readFileSync(
      path.join(app, 'node_modules/@f1-analytics/sdk/dist/index.d.ts'),
      'utf8',
    );
    expect(declarationProblems(dts)).toEqual([]);
    expect(dts).toContain('type AppRouter');
    console.log(
      `sdk: index.d.ts ${packed.dtsBytes} bytes / ${packed.dtsLines} lines, index.js ${packed.jsBytes} bytes`,
    );
  });

  test('installs with no workspace package', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(app, 'node_modules/@f1-analytics/sdk/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@trpc/client',
      '@trpc/server',
      'superjson',
    ]);
    const lock = readFileSync(path.join(app, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain('node_modules/@f1/');
  });

  test('type-checks with skipLibCheck: false (including the expected-error assertions)', async () => {
    const result = await run([TSC, '-p', 'tsconfig.json'], { cwd: app });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  test('every TypeScript example in the SDK README compiles against the tarball', async () => {
    const readme = readFileSync(path.join(ROOT, 'sdk/README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const dir = path.join(app, 'readme');
    mkdirSync(dir, { recursive: true });
    blocks.forEach((code, i) => {
      // Snippets continue one another: give those that use `f1` without creating it a client.
      const needsClient = /\bf1\./.test(code) && !/const f1 =/.test(code);
      const prelude = [
        needsClient && !code.includes('createF1Client')
          ? "import { createF1Client } from '@f1-analytics/sdk';"
          : '',
        needsClient ? "const f1 = createF1Client({ url: 'http://localhost:8000' });" : '',
        'declare function getNewAccessToken(): Promise<string>;',
      ].join('\n');
      writeFileSync(path.join(dir, `example-${i + 1}.ts`), `${prelude}\n${code}\nexport {};\n`);
    });
    writeFileSync(
      path.join(app, 'tsconfig.readme.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '.', noUnusedLocals: false },
        include: ['readme'],
      }),
    );
    const result = await run([TSC, '-p', 'tsconfig.readme.json'], { cwd: app });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  test('wrong code fails to compile with exactly the marked errors', async () => {
    const source = readFileSync(path.join(app, 'bad/bad.ts'), 'utf8').split('\n');
    const expected = source.flatMap((line, i) => {
      const code = /\/\/ error (TS\d+)$/.exec(line)?.[1];
      return code ? [`bad/bad.ts:${i + 1} ${code}`] : [];
    });
    const result = await run([TSC, '-p', 'tsconfig.bad.json'], { cwd: app });
    const actual = [...result.stdout.matchAll(/^(bad\/bad\.ts)\((\d+),\d+\): error (TS\d+)/gm)].map(
      (m) => `${m[1]}:${m[2]} ${m[3]}`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.code).not.toBe(0);
  }, 60_000);
});

describe.each(['node', 'bun'])('the consumer under %s against a live server', (runtime) => {
  test('calls the API and gets typed data and typed errors', async () => {
    const cmd =
      runtime === 'node'
        ? ['node', 'dist/main.js', server.url]
        : ['bun', 'src/main.ts', server.url];
    const result = await run(cmd, { cwd: app });
    if (result.code !== 0) throw new Error(`${result.stderr}\nserver:\n${server.logs()}`);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(report.runtime).toBe(runtime);
    expect(report.health).toEqual({ status: 'ok', database: 'ok', timeIsDate: true });
    // Independent oracle: the mini season's standings worked out by hand (testkit/src/fixtures/mini-season.ts).
    expect(report.drivers).toEqual(['driver_a', 'driver_b', 'driver_c', 'driver_d']);
    expect(report.driverA).toEqual({ name: 'Driver A', code: 'DRA' });
    expect(report.standings).toEqual({
      round: 2,
      rows: [
        ['driver_b', 32.5],
        ['driver_a', 32.5],
        ['driver_c', 32],
        ['driver_d', 19],
      ],
    });
    expect(report.winnerOfRound2).toBe('driver_b');
    expect(report.raceStartIsDate).toBe(true);
    expect(report.models).toEqual([]);
    expect(report.errors.notFound).toMatchObject({
      typed: true,
      code: 'NOT_FOUND',
      httpStatus: 404,
    });
    expect(report.errors.badInput).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(Object.keys(report.errors.badInput.fieldErrors)).toEqual(['season']);
    expect(report.errors.unauthenticated).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(report.errors.wrongBaseUrl).toMatchObject({ typed: true, httpStatus: 404 });
    expect(report.errors.unreachable).toMatchObject({ typed: true, code: 'CLIENT_ERROR' });
  }, 60_000);
});

describe.each(['node', 'bun'])('an ML service and a watcher under %s', (runtime) => {
  test('submit with an API key; the subscriber hears of it over SSE; the set reads back', async () => {
    const cmd =
      runtime === 'node'
        ? ['node', 'dist/ml-service.js', server.url, mlKey]
        : ['bun', 'src/ml-service.ts', server.url, mlKey];
    const result = await run(cmd, { cwd: app, timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`${result.stderr}\nserver:\n${server.logs()}`);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(report).toEqual({
      runtime,
      submitted: { status: 'created', entries: 4, isDate: true },
      heard: { kind: 'predictions', model: `consumer-${runtime}`, backtest: true },
      stored: [['driver_b', 'driver_c', 'driver_a', 'driver_d']],
      anonymousSubmit: 'UNAUTHORIZED',
    });
  }, 90_000);
});
