import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failedTests } from './test-failures';

const dir = mkdtempSync(path.join(tmpdir(), 'f1-test-wrapper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/test.ts lists the failed tests at the end', () => {
  test('a real Bun JUnit report: only the failed cases, with their describe path and message', async () => {
    writeFileSync(
      path.join(dir, 'sample.test.ts'),
      `import { describe, expect, test } from 'bun:test';
describe('outer', () => {
  describe('inner', () => {
    test('passes', () => expect(1).toBe(1));
    test('fails <here> & "there"', () => expect(1).toBe(2));
  });
  test('throws', () => { throw new Error('broken on purpose'); });
});
test('top level passes', () => expect(true).toBe(true));
`,
    );
    // The real runner, in its own directory (no bunfig: no coverage gate, no preload).
    const child = Bun.spawn(
      ['bun', 'test', '--reporter=junit', '--reporter-outfile=junit.xml', './sample.test.ts'],
      { cwd: dir, stdout: 'ignore', stderr: 'ignore' },
    );
    expect(await child.exited).toBe(1);
    const failed = failedTests(readFileSync(path.join(dir, 'junit.xml'), 'utf8'));
    expect(failed).toEqual([
      {
        file: 'sample.test.ts',
        name: 'outer > inner > fails <here> & "there"',
        message: 'expect(received).toBe(expected)',
      },
      { file: 'sample.test.ts', name: 'outer > throws', message: 'broken on purpose' },
    ]);
  }, 30_000);

  test('the wrapper keeps the exit code and prints the list after everything else', async () => {
    const child = Bun.spawn(['bun', path.join(import.meta.dir, 'test.ts'), './sample.test.ts'], {
      cwd: dir,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    expect(code).toBe(1);
    const tail = stderr.trimEnd().split('\n').slice(-5);
    expect(tail[0]).toContain('2 failed test(s)');
    expect(tail[1]).toBe('  (fail) sample.test.ts: outer > inner > fails <here> & "there"');
    expect(tail[3]).toBe('  (fail) sample.test.ts: outer > throws');
  }, 30_000);

  test('a passing run prints no list and exits 0', async () => {
    writeFileSync(
      path.join(dir, 'ok.test.ts'),
      `import { expect, test } from 'bun:test';
test('fine', () => expect(2).toBe(2));
`,
    );
    const child = Bun.spawn(['bun', path.join(import.meta.dir, 'test.ts'), './ok.test.ts'], {
      cwd: dir,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    expect(code).toBe(0);
    expect(stderr).not.toContain('failed test(s)');
  }, 30_000);

  test('no report at all (nothing to parse) lists nothing', () => {
    expect(failedTests('')).toEqual([]);
    expect(
      failedTests(
        '<testsuites><testsuite name="a.test.ts"><testcase name="x"/></testsuite></testsuites>',
      ),
    ).toEqual([]);
  });
});
