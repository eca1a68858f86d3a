/** The kit's own contracts: the skip policy's reasons and the one tRPC error shape. */
import { describe, expect, spyOn, test } from 'bun:test';
import { TRPCError } from '@trpc/server';
import { errorOf, settle } from './errors.ts';
import { announceSkip, missingOf, needs } from './skip.ts';

describe('skip policy', () => {
  test('missingOf joins every missing reason and is null when all are met', () => {
    expect(missingOf([needs.that(true, 'never')])).toBeNull();
    expect(
      missingOf([needs.that(false, 'one'), needs.that(true, 'x'), needs.that(false, 'two')]),
    ).toBe('one; two');
    expect(missingOf([needs.program('no-such-program-f1t')])).toBe(
      'no-such-program-f1t is not installed',
    );
  });

  test('a reason is printed once per process, naming the test file', () => {
    const warn = spyOn(console, 'warn').mockImplementation(() => {});
    try {
      announceSkip('kit probe', 'a reason');
      announceSkip('kit probe', 'a reason');
      expect(warn.mock.calls).toEqual([['testkit/src/kit.test.ts: kit probe skipped: a reason']]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('tRPC errors', () => {
  const cause = new RangeError('why');
  const failing = () =>
    Promise.reject(new TRPCError({ code: 'NOT_FOUND', message: 'no such race', cause }));

  test('settle: null on success, the code and message on failure, the cause kept aside', async () => {
    expect(await settle(Promise.resolve(1))).toBeNull();
    const error = await settle(failing);
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'no such race' });
    expect(error?.cause).toBe(cause);
  });

  test('errorOf fails when the call succeeds; other errors are rethrown', async () => {
    expect((await errorOf(failing())).code).toBe('NOT_FOUND');
    await expect(errorOf(async () => 1)).rejects.toThrow('expected the call to fail');
    await expect(settle(Promise.reject(new RangeError('bug')))).rejects.toThrow('bug');
  });
});
