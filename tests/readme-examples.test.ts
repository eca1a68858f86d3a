/**
 * Every fenced code block of README.md and sdk/README.md, run as a reader would run it, against a live
 * server process on the export's 2023 season (and 1988, for the SDK's dropped-results example).
 *
 * The blocks are classified by the marker above each one (tests/docs/markdown-examples.ts): a block
 * without one fails the first test here, with the message saying which markers exist, so a new block
 * is run or skipped on purpose, never silently untested.
 * - ```sh run blocks: bash, with `http://localhost:8000` replaced by the server's URL and `F1_API_KEY`
 *   set to an `ml_service` key made with the admin CLI; `curl` is a shim around the real curl that
 *   records each answer, and every one must have the marker's status (2xx by default) and be JSON.
 * - ```ts run blocks: written into the consumer project sdk/README.md describes (its `package.json` and
 *   `tsconfig.json` blocks, used as written), which installs the packed SDK tarball with npm as
 *   tests/sdk-consumer.test.ts does; compiled together by tsc (the repository's typescript), then each
 *   run with bun and must exit 0.
 * - output blocks: ```json is a subset of the last curl answer of the run block above (fields and
 *   trailing list items may be left out); ```text lines appear, in order, in what it printed.
 * The runs go in README order on one server, so a later example sees an earlier one's writes (the SDK's
 * subscription replays the set its ML-service example submitted).
 *
 * Needs ../shared/data, curl, bash, npm and the npm registry (the SDK's dependencies, @types/node,
 * eventsource); skipped with a printed reason without the data or the programs.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadContractData } from '@f1/testkit/ergast-contract-data';
import { createApiKeyWithCli, type LiveServer, startLiveServer } from '@f1/testkit/live-server';
import { ROOT, run } from '@f1/testkit/processes';
import { findSharedDataDir, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { describeWith, needs } from '@f1/testkit/skip';
import { packSdk } from '../sdk/scripts/pack.ts';
import {
  type CodeBlock,
  classificationProblems,
  missingLine,
  readmeBlocks,
  subsetMismatch,
} from './docs/markdown-examples.ts';

const BASE_URL = 'http://localhost:8000';
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');
const USER = { email: 'ana@example.com', password: 'correct horse battery staple' };
const blocks = readmeBlocks(ROOT);

test('every code block in README.md and sdk/README.md is marked run, output, file or skip', () => {
  const problems = classificationProblems(blocks);
  if (problems.length) throw new Error(`\n${problems.join('\n\n')}`);
  expect(blocks.filter((b) => b.marker?.kind === 'run').length).toBeGreaterThan(10);
});

/** The output block right after `block`, if any. */
function outputOf(block: CodeBlock): CodeBlock | undefined {
  const next = blocks[blocks.indexOf(block) + 1];
  return next?.file === block.file && next.marker?.kind === 'output' ? next : undefined;
}

const runnable = blocks.filter((b) => b.marker?.kind === 'run');
const consumerFiles = blocks.filter((b) => b.marker?.kind === 'file');
const tsBlocks = runnable.filter((b) => b.lang === 'ts');
const exampleFile = (block: CodeBlock) => `example-${tsBlocks.indexOf(block) + 1}.ts`;
const label = (b: CodeBlock) => `${b.file}:${b.line} (${b.lang})`;

/** Records every call: `<n>.args`, `<n>.status` (the HTTP code), `<n>.body`; prints the body as curl would. */
const CURL_SHIM = `#!/usr/bin/env bash
n=$(( $(ls "$F1_CURL_LOG" | grep -c '\\.status$') + 1 ))
printf '%s\\n' "$@" > "$F1_CURL_LOG/$n.args"
"$F1_REAL_CURL" "$@" --output "$F1_CURL_LOG/$n.body" --write-out '%{http_code}' > "$F1_CURL_LOG/$n.status"
code=$?
cat "$F1_CURL_LOG/$n.body"
exit $code
`;

describeWith(
  [
    needs.that(findSharedDataDir() !== null, SHARED_DATA_MISSING),
    needs.program('curl', ' (apt-get install curl)'),
    needs.program('bash'),
    needs.program('npm', ' (Node.js with npm)'),
  ],
  'README and SDK README examples against a live server on the 2023 season',
  () => {
    let work: string;
    let app: string;
    let server: LiveServer;
    let mlKey = '';

    beforeAll(async () => {
      work = mkdtempSync(path.join(tmpdir(), 'f1-readme-'));
      app = path.join(work, 'app');
      mkdirSync(app);
      for (const file of consumerFiles) {
        if (file.marker?.kind === 'file')
          writeFileSync(path.join(app, file.marker.name), file.code);
      }
      const packed = await packSdk(work);
      // What sdk/README.md's install block says, with the versions tests/sdk-consumer.test.ts pins.
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
      for (const block of tsBlocks) {
        writeFileSync(path.join(app, exampleFile(block)), block.code.replaceAll(BASE_URL, '$URL'));
      }
      server = await startLiveServer({
        seed: async (database) => {
          await loadContractData(database.db, { seasons: [1988, 2023] });
        },
        prepare: async (env) => {
          mlKey = await createApiKeyWithCli(env, 'readme-examples', 'ml_service');
          const quiet = { F1_ENVIRONMENT: 'test', F1_LOG_LEVEL: 'silent', ...env };
          const user = await run(['bun', 'run', 'admin', 'create-user', USER.email], {
            env: { ...quiet, F1_ADMIN_PASSWORD: USER.password },
            isolated: true,
            timeoutMs: 60_000,
          });
          if (user.code !== 0) throw new Error(`admin create-user failed: ${user.stderr}`);
          // What ingestion's follow-ups would have done; the loader clears them (the SDK reads ratings).
          const ratings = await run(['bun', 'run', 'ratings'], {
            env: quiet,
            isolated: true,
            timeoutMs: 120_000,
          });
          if (ratings.code !== 0) throw new Error(`bun run ratings failed: ${ratings.stderr}`);
        },
        // The examples' few dozen requests are not what the rate limit is tested on.
        env: { F1_RATE_LIMIT_REQUESTS: '100000' },
      });
      // The URL is known only now: put it into the written examples.
      for (const block of tsBlocks) {
        const file = path.join(app, exampleFile(block));
        writeFileSync(file, readFileSync(file, 'utf8').replaceAll('$URL', server.url));
      }
    }, 600_000);

    afterAll(async () => {
      await server?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('the TypeScript examples compile with the consumer setup sdk/README.md gives', async () => {
      expect(consumerFiles.map((f) => (f.marker?.kind === 'file' ? f.marker.name : ''))).toEqual([
        'package.json',
        'tsconfig.json',
      ]);
      const result = await run([TSC, '-p', 'tsconfig.json'], { cwd: app, timeoutMs: 120_000 });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    }, 120_000);

    /** A copy of the consumer project (sharing its node_modules) with one setting changed. */
    async function compileVariant(change: {
      tsconfig?: (config: { compilerOptions: Record<string, unknown> }) => void;
      packageJson?: (manifest: Record<string, unknown>) => void;
    }): Promise<{ code: number; output: string }> {
      const dir = mkdtempSync(path.join(work, 'variant-'));
      for (const name of readdirSync(app).filter((n) => n.endsWith('.ts') || n.endsWith('.json')))
        cpSync(path.join(app, name), path.join(dir, name));
      symlinkSync(path.join(app, 'node_modules'), path.join(dir, 'node_modules'));
      for (const [name, edit] of [
        ['tsconfig.json', change.tsconfig],
        ['package.json', change.packageJson],
      ] as const) {
        if (!edit) continue;
        const json = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
        edit(json);
        writeFileSync(path.join(dir, name), JSON.stringify(json));
      }
      const result = await run([TSC, '-p', 'tsconfig.json'], { cwd: dir, timeoutMs: 120_000 });
      return { code: result.code, output: result.stdout + result.stderr };
    }

    test('the README is right about both settings: without them tsc fails as it says', async () => {
      const noDisposable = await compileVariant({
        tsconfig: (c) => {
          c.compilerOptions.lib = ['ES2022', 'DOM'];
          c.compilerOptions.types = [];
        },
      });
      expect(noDisposable.output).toContain("error TS2304: Cannot find name 'Disposable'");
      expect(noDisposable.code).not.toBe(0);
      // @types/node declares Disposable too: with it, the lib is not needed (as the README says).
      const withNodeTypes = await compileVariant({
        tsconfig: (c) => {
          c.compilerOptions.lib = ['ES2022', 'DOM'];
        },
      });
      expect(withNodeTypes.output).toBe('');
      expect(withNodeTypes.code).toBe(0);
      const noModule = await compileVariant({
        packageJson: (m) => {
          delete m.type;
        },
      });
      expect(noModule.output).toMatch(/error TS1(378|309)/);
      expect(noModule.code).not.toBe(0);
    }, 240_000);

    async function runShell(block: CodeBlock) {
      const log = mkdtempSync(path.join(work, 'curl-'));
      const bin = path.join(log, 'bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'curl'), CURL_SHIM);
      chmodSync(path.join(bin, 'curl'), 0o755);
      const cwd = mkdtempSync(path.join(work, 'sh-'));
      const result = await run(
        ['bash', '-e', '-o', 'pipefail', '-c', block.code.replaceAll(BASE_URL, server.url)],
        {
          cwd,
          timeoutMs: 60_000,
          env: {
            PATH: `${bin}:${process.env.PATH}`,
            F1_CURL_LOG: log,
            F1_REAL_CURL: Bun.which('curl') ?? 'curl',
            F1_API_KEY: mlKey,
          },
        },
      );
      const calls = readdirSync(log)
        .filter((n) => n.endsWith('.status'))
        .map((n) => Number.parseInt(n, 10))
        .sort((a, b) => a - b)
        .map((n) => ({
          url: readFileSync(path.join(log, `${n}.args`), 'utf8')
            .split('\n')
            .find((a) => a.startsWith('http')),
          status: Number(readFileSync(path.join(log, `${n}.status`), 'utf8')),
          body: withoutHeaders(readFileSync(path.join(log, `${n}.body`), 'utf8')),
        }));
      return { ...result, calls };
    }

    /** A body with `curl -i`'s header blocks (one per response, `100 Continue` too) taken off. */
    function withoutHeaders(body: string): string {
      let rest = body;
      while (/^HTTP\/[\d.]+ \d{3}/.test(rest)) {
        const end = rest.search(/\r?\n\r?\n/);
        rest = end < 0 ? '' : rest.slice(end).replace(/^\r?\n\r?\n/, '');
      }
      return rest;
    }

    for (const block of runnable) {
      const marker = block.marker?.kind === 'run' ? block.marker : null;
      const shown = outputOf(block);
      test(`${label(block)} runs${shown ? ' and prints what is shown' : ''}`, async () => {
        if (block.lang === 'sh') {
          const result = await runShell(block);
          if (result.code !== 0)
            throw new Error(`bash exited ${result.code}:\n${result.stderr}\n${server.logs()}`);
          expect(result.calls.length).toBeGreaterThan(0);
          for (const call of result.calls) {
            const context = `${call.url} answered ${call.status}: ${call.body.slice(0, 500)}`;
            if (marker?.status) expect(call.status, context).toBe(marker.status);
            else expect(call.status >= 200 && call.status < 300, context).toBe(true);
            // An answer without a body (204, a HEAD) has nothing to parse; any other must be JSON.
            if (call.status !== 204 && call.body !== '')
              expect(() => JSON.parse(call.body), context).not.toThrow();
          }
          if (shown) {
            const last = JSON.parse(result.calls.at(-1)?.body ?? 'null');
            expect(
              subsetMismatch(JSON.parse(shown.code), last),
              `${label(shown)} vs the answer`,
            ).toBeNull();
          }
          return;
        }
        const result = await run(['bun', exampleFile(block)], {
          cwd: app,
          timeoutMs: 60_000,
          env: { F1_API_KEY: mlKey },
        });
        const context = `${exampleFile(block)} printed:\n${result.stdout}\n${result.stderr}`;
        if (result.code !== 0)
          throw new Error(`exit ${result.code}\n${context}\nserver:\n${server.logs()}`);
        expect(result.stderr.trim(), context).toBe('');
        if (shown) expect(missingLine(shown.code, result.stdout), context).toBeNull();
      }, 90_000);
    }
  },
);
