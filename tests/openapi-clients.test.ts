/**
 * The REST API as a non-SDK user meets it, over real HTTP against a live server:
 * - /api/openapi.json validates as OpenAPI 3.1 with maintained validators (swagger-parser, and
 *   `redocly lint` with its recommended rules: no errors);
 * - a client generated from it (openapi-typescript, in tests/openapi-client copied outside the
 *   workspace, with its own TypeScript 5 since openapi-typescript needs TS's JS API) compiles
 *   strictly and calls the server with openapi-fetch.
 *
 * Needs the npm registry (openapi-typescript, openapi-fetch, typescript 5, @types/node, @redocly/cli).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  createApiKeyWithCli,
  type LiveServer,
  seedMiniSeasonWithStandings,
  startLiveServer,
} from '@f1/testkit/live-server';
import { ROOT, run } from '@f1/testkit/processes';
import type { OpenAPI } from 'openapi-types';

let server: LiveServer;
let mlKey = '';
let work: string;
let client: string;

beforeAll(async () => {
  server = await startLiveServer({
    seed: seedMiniSeasonWithStandings,
    prepare: async (env) => {
      mlKey = await createApiKeyWithCli(env, 'generated-client', 'ml_service');
    },
  });
  work = mkdtempSync(path.join(tmpdir(), 'f1-openapi-client-'));
  client = path.join(work, 'client');
  cpSync(path.join(ROOT, 'tests/openapi-client'), client, { recursive: true });
  const install = await run(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: client,
    timeoutMs: 300_000,
  });
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 400_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the OpenAPI document of a live server', () => {
  test('validates with swagger-parser', async () => {
    const url = `${server.url}/api/openapi.json`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const api = await SwaggerParser.validate((await res.json()) as OpenAPI.Document);
    const operations = Object.values(api.paths ?? {}).flatMap((item) =>
      Object.keys(item ?? {}).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)),
    );
    expect('openapi' in api && api.openapi).toBe('3.1.0');
    expect(operations.length).toBeGreaterThan(0);
    console.log(
      `swagger-parser: ${url} is valid OpenAPI ${'openapi' in api ? api.openapi : '?'}, ` +
        `${Object.keys(api.paths ?? {}).length} paths, ${operations.length} operations`,
    );
  }, 30_000);
});

describe('Redocly lint (recommended rules)', () => {
  test('finds no errors in the live document', async () => {
    const result = await run(
      [
        'node_modules/.bin/redocly',
        'lint',
        `${server.url}/api/openapi.json`,
        '--format',
        'summary',
      ],
      {
        cwd: client,
        timeoutMs: 120_000,
        // No telemetry or update checks: the CLI must not call out beyond the server under test.
        env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const output = `${result.stdout}${result.stderr}`;
    console.log(`redocly lint: ${output.trim().split('\n').slice(-6).join(' | ')}`);
    expect(result.code).toBe(0);
  }, 150_000);
});

describe('a client generated with openapi-typescript', () => {
  test('generates, compiles strictly (skipLibCheck false) and calls the server', async () => {
    const generate = await run(
      [
        'node_modules/.bin/openapi-typescript',
        `${server.url}/api/openapi.json`,
        '-o',
        'src/schema.d.ts',
      ],
      { cwd: client },
    );
    expect(generate.code).toBe(0);
    const compile = await run(['node_modules/.bin/tsc', '-p', 'tsconfig.json'], { cwd: client });
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.code).toBe(0);

    const result = await run(['node', 'dist/main.js', server.url, mlKey], { cwd: client });
    if (result.code !== 0) throw new Error(`${result.stderr}\nserver:\n${server.logs()}`);
    const report = JSON.parse(result.stdout.trim());
    expect(report.health).toMatchObject({ httpStatus: 200, status: 'ok' });
    expect(Number.isNaN(Date.parse(report.health.time))).toBe(false);
    // Independent oracle: the mini season worked out by hand (testkit/src/fixtures/mini-season.ts).
    expect(report.pages).toEqual([
      ['driver_a', 'driver_b'],
      ['driver_c', 'driver_d'],
    ]);
    expect(report.driver).toEqual({ driverId: 'driver_c', familyName: 'C' });
    expect(report.standingsAfterRound1).toEqual([
      ['driver_a', 25],
      ['driver_b', 18],
      ['driver_c', 15],
      ['driver_d', 12],
    ]);
    expect(report.resultsRound2).toEqual(['driver_b', 'driver_c', 'driver_a', 'driver_d']);
    expect(report.cacheControl).toStartWith('public');
    expect(report.notFound.httpStatus).toBe(404);
    expect(report.notFound.error.code).toBe('NOT_FOUND');
    expect(report.badInput.httpStatus).toBe(400);
    expect(report.badInput.error.code).toBe('BAD_REQUEST');
    expect(report.badInput.error.issues.map((i: { path: string[] }) => i.path)).toEqual([
      ['season'],
    ]);
    expect(report.unauthenticated.httpStatus).toBe(401);
    expect(report.unauthenticated.error.code).toBe('UNAUTHORIZED');
    expect(Number(report.rateLimit)).toBeGreaterThan(0);
    expect(report.submitted).toEqual({ httpStatus: 200, status: 'created' });
    expect(report.readBack).toEqual([['driver_b', 'driver_c', 'driver_a', 'driver_d']]);
    expect(report.missing.httpStatus).toBe(404);
    expect(report.missing.error.code).toBe('NOT_FOUND');
  }, 120_000);
});
