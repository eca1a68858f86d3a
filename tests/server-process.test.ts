/**
 * The process helper decodes a child's stderr as one stream: a character whose bytes arrive in two
 * chunks is read whole, not as two replacement characters.
 */
import { expect, test } from 'bun:test';
import { startProcess } from '@f1/testkit/processes';
import { until } from '@f1/testkit/wait';

test('stderr: multi-byte characters split across chunks are decoded whole', async () => {
  const child = await startProcess(['bun', 'tests/fixtures/split-utf8-stderr.ts'], { env: {} });
  try {
    await until(async () => child.errors().endsWith('\n'), 20_000);
    expect(child.errors()).toBe('café € 🏁\n');
  } finally {
    await child.stop();
  }
});
