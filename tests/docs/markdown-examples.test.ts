/** The README block classifier: an unmarked or mis-marked block is a problem that says what to do. */
import { describe, expect, test } from 'bun:test';
import {
  classificationProblems,
  codeBlocks,
  MARKER_HELP,
  missingLine,
  parseMarker,
  subsetMismatch,
} from './markdown-examples.ts';

const md = (...lines: string[]) => lines.join('\n');

describe('codeBlocks and classificationProblems', () => {
  test('reads markers, languages and indented fences', () => {
    const blocks = codeBlocks(
      md(
        '<!-- example: run -->',
        '```sh',
        'curl -s http://localhost:8000/health',
        '```',
        '<!-- example: output -->',
        '```json',
        '{"status":"ok"}',
        '```',
        '- a list item:',
        '  <!-- example: skip: Python, run elsewhere -->',
        '  ```python',
        '  print(1)',
        '  ```',
      ),
      'README.md',
    );
    expect(blocks.map((b) => [b.line, b.lang, b.marker?.kind, b.code])).toEqual([
      [2, 'sh', 'run', 'curl -s http://localhost:8000/health'],
      [6, 'json', 'output', '{"status":"ok"}'],
      [11, 'python', 'skip', 'print(1)'],
    ]);
    expect(classificationProblems(blocks)).toEqual([]);
  });

  test('a new block without a marker fails with the file, line and what to put above it', () => {
    const blocks = codeBlocks(
      md('## CORS', '', '```sh', 'F1_CORS_ORIGINS=* bun run start', '```'),
      'README.md',
    );
    const [problem, ...rest] = classificationProblems(blocks);
    expect(rest).toEqual([]);
    expect(problem).toContain('README.md:3 (a ```sh block) has no example marker');
    expect(problem).toContain(MARKER_HELP);
    expect(MARKER_HELP).toContain('<!-- example: skip: <why> -->');
  });

  test('bad markers: unknown, skip without a reason, output without a run, run of a json block', () => {
    const blocks = codeBlocks(
      md(
        '<!-- example: maybe -->',
        '```sh',
        'x',
        '```',
        '<!-- example: skip: -->',
        '```sh',
        'x',
        '```',
        '<!-- example: output -->',
        '```json',
        '{}',
        '```',
        '<!-- example: run -->',
        '```json',
        '{}',
        '```',
        '<!-- example: file tsconfig.json -->',
        '```json',
        '{}',
        '```',
      ),
      'README.md',
    );
    const problems = classificationProblems(blocks);
    expect(problems.map((p) => p.split('\n')[0])).toEqual([
      "README.md:2 (a ```sh block): unknown example marker 'maybe'.",
      'README.md:6 (a ```sh block): a skip marker needs a reason: <!-- example: skip: <why> -->.',
      'README.md:10 (a ```json block): an output block must follow a run block',
      'README.md:14 (a ```json block): only ```sh and ```ts blocks can be run; mark it skip: <why>',
      'README.md:18 (a ```json block): consumer files belong in sdk/README.md',
    ]);
  });

  test('parseMarker', () => {
    expect(parseMarker('run')).toEqual({ kind: 'run', status: null });
    expect(parseMarker('run, status 404')).toEqual({ kind: 'run', status: 404 });
    expect(parseMarker('file package.json')).toEqual({ kind: 'file', name: 'package.json' });
    expect(parseMarker('skip: a tree')).toEqual({ kind: 'skip', reason: 'a tree' });
  });
});

describe('output checks', () => {
  test('subsetMismatch: shown fields and leading items must match, more is allowed', () => {
    const actual = { a: 1, rows: [{ id: 'x', n: 1 }, { id: 'y' }], extra: true };
    expect(subsetMismatch({ a: 1, rows: [{ id: 'x' }] }, actual)).toBeNull();
    expect(subsetMismatch({ rows: [{ id: 'y' }] }, actual)).toBe(
      '$.rows[0].id: shown "y", got "x"',
    );
    expect(subsetMismatch({ b: 1 }, actual)).toBe('$.b: missing');
    expect(subsetMismatch({ rows: [{}, {}, {}] }, actual)).toBe('$.rows: 2 elements, shown 3');
    expect(subsetMismatch([1], { a: 1 })).toBe('$: expected an array');
    expect(subsetMismatch({ a: 1 }, [1])).toBe('$: expected an object');
  });

  test('missingLine: shown lines appear in order', () => {
    const out = 'ok true\n22 drivers\nafter round 22: Verstappen 575\n';
    expect(missingLine('ok true\n\nafter round 22: Verstappen 575', out)).toBeNull();
    expect(missingLine('after round 22: Verstappen 575\nok true', out)).toBe('ok true');
  });
});
