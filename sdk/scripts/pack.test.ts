import { describe, expect, test } from 'bun:test';
import path from 'node:path';
import { declarationProblems, packArguments, SDK_DIR } from './pack.ts';

describe('declarationProblems', () => {
  test('accepts imports of the SDK dependencies only', () => {
    const ok = "import * as t from '@trpc/server';\nimport { TRPCClient } from '@trpc/client';\n";
    expect(declarationProblems(ok)).toEqual([]);
  });

  test('flags server-only packages and the private workspace packages', () => {
    const bad = [
      "import { Kysely } from 'kysely';",
      "export type { AppRouter } from '@f1/server';",
      "type R = import('ioredis').Redis;",
    ].join('\n');
    expect(declarationProblems(bad)).toEqual([
      "imports 'kysely'",
      "imports '@f1/server'",
      "imports 'ioredis'",
      "mentions the private '@f1/' workspace packages",
    ]);
  });
});

describe('packArguments', () => {
  test('the destination, help, or a one-line reason', () => {
    expect(packArguments([])).toEqual({ destination: SDK_DIR });
    expect(packArguments(['--destination', 'out'])).toEqual({ destination: path.resolve('out') });
    expect(packArguments(['-h'])).toBe('help');
    expect(packArguments(['--dest', 'x'])).toEqual({ error: "Unknown option '--dest'" });
    expect(packArguments(['extra'])).toEqual({ error: 'sdk:pack takes no arguments, got extra' });
  });
});
