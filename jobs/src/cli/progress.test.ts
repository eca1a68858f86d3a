import { expect, test } from 'bun:test';
import { createProgress } from './progress.ts';
import { formatSummary } from './summary.ts';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, write: (t: string) => void chunks.push(t) } };
};

test('without a terminal: plain lines, one per step', () => {
  const { chunks, out } = sink(false);
  const progress = createProgress(out);
  progress.start('season 2024', 2);
  progress.tick('round 1');
  progress.log('round 2 failed: Results[0].points');
  progress.tick('round 2');
  progress.done();
  expect(chunks.join('')).toBe(
    'season 2024: 2 step(s)\nseason 2024 1/2 round 1\nround 2 failed: Results[0].points\nseason 2024 2/2 round 2\n',
  );
});

test('on a terminal: a bar redrawn in place, finished on its own line', () => {
  const { chunks, out } = sink(true);
  const progress = createProgress(out);
  progress.start('import', 4);
  progress.tick('a');
  progress.log('note');
  progress.tick('b');
  progress.done();
  const text = chunks.join('');
  expect(text).toContain('import ░░░░░░░░░░░░░░░░░░░░░░░░ 0/4');
  expect(text).toContain('import ██████░░░░░░░░░░░░░░░░░░ 1/4 a');
  expect(text).toContain('\r\x1b[2Knote\n');
  expect(text.endsWith('import ████████████████████████ 2/4\n')).toBe(true);
});

test('the summary names every count, the request figures and failures', () => {
  const text = formatSummary({
    created: 3,
    updated: 1,
    deleted: 2,
    unchanged: 40,
    requests: 7,
    throttled: 1,
    retries: 2,
    elapsedMs: 1234,
    tables: { race_results: { created: 3, updated: 1, deleted: 2, unchanged: 40 } },
    failures: ['2024 round 5: Results[3].points expected a number (https://x/2024/5/results.json)'],
  });
  expect(text).toMatch(/race_results\s+3\s+1\s+2\s+40\n/);
  expect(text).toContain('rows: 3 created, 1 updated, 2 deleted, 40 unchanged');
  expect(text).toContain('requests: 7, 429s: 1, retries: 2, time: 1.2 s');
  expect(text).toContain('FAILED 2024 round 5: Results[3].points');
});
