/**
 * The one skip policy. A suite that needs a service or tool names it (`needs.redis`, …); when it is
 * absent the suite is declared as skipped with the reason in its name and the reason is printed once
 * per process, so a skip is never silent and no suite writes its own warn + skipIf.
 */

import { describe, test } from 'bun:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl } from './postgres.ts';
import { privatePostgresUnavailable } from './private-postgres.ts';
import { testRedisUrl } from './redis.ts';

/** Something a suite needs: `missing()` says why it is unavailable, or null when it is there. */
export interface Requirement {
  missing(): string | null;
}

const requirement = (missing: () => string | null): Requirement => ({ missing });

/** What suites need, by name. */
export const needs = {
  /** The shared test Redis (F1_TEST_REDIS_URL). */
  redis: requirement(() => (testRedisUrl() ? null : 'F1_TEST_REDIS_URL is not set')),
  /** The shared test PostgreSQL (F1_TEST_DATABASE_URL). */
  postgres: requirement(() => (testDatabaseUrl() ? null : 'F1_TEST_DATABASE_URL is not set')),
  /** A redis-server binary, for a Redis of the test's own. */
  redisServer: requirement(() =>
    Bun.which('redis-server') ? null : 'redis-server is not installed',
  ),
  /** A PostgreSQL server of the test's own (initdb, pg_ctl; runuser when root). */
  privatePostgres: requirement(privatePostgresUnavailable),
  /** Linux (/proc, signals as the fault tests use them). */
  linux: requirement(() => (process.platform === 'linux' ? null : 'needs Linux (/proc)')),
  /** A program on PATH. */
  program: (name: string, hint = '') =>
    requirement(() => (Bun.which(name) ? null : `${name} is not installed${hint}`)),
  /** A file (a browser binary, a data folder). */
  file: (file: string, what: string) =>
    requirement(() => (existsSync(file) ? null : `${what} not found at ${file}`)),
  /** Any other condition: `reason` when `ok` is false. */
  that: (ok: boolean, reason: string) => requirement(() => (ok ? null : reason)),
} as const;

/** Why the suite cannot run (every missing requirement, joined), or null when it can. */
export function missingOf(requirements: readonly Requirement[]): string | null {
  const reasons = requirements.map((r) => r.missing()).filter((r): r is string => r !== null);
  return reasons.length > 0 ? reasons.join('; ') : null;
}

const announced = new Set<string>();

/** The test file that declared the suite (from the call stack), relative to the project root. */
function callerFile(): string {
  const frames = new Error().stack?.split('\n') ?? [];
  const file = frames.map((frame) => /([^\s()]+\.test\.ts):\d+/.exec(frame)?.[1]).find(Boolean);
  return file ? path.relative(ROOT, file) : 'a test file';
}

const ROOT = path.resolve(import.meta.dir, '../..');

/** Prints `<test file>: name skipped: reason` once per process. */
export function announceSkip(name: string, reason: string): void {
  const line = `${callerFile()}: ${name} skipped: ${reason}`;
  if (announced.has(line)) return;
  announced.add(line);
  console.warn(line);
}

/**
 * True when every requirement is met; otherwise prints why `name` is skipped and returns false. For
 * suites that take another path without a service rather than skip (see `describeWith` for skipping).
 */
export function available(name: string, ...requirements: Requirement[]): boolean {
  const reason = missingOf(requirements);
  if (reason) announceSkip(name, reason);
  return reason === null;
}

/** `describe(name, body)` when every requirement is met; else a skipped block naming the reason. */
export function describeWith(
  requirements: readonly Requirement[],
  name: string,
  body: () => void,
): void {
  const reason = missingOf(requirements);
  if (reason === null) {
    describe(name, body);
    return;
  }
  announceSkip(name, reason);
  describe.skip(`${name} [${reason}]`, body);
}

/** Declares `name` as skipped for `reason` (printed once): for suites that branch on a value they use. */
export function skipSuite(name: string, reason: string): void {
  announceSkip(name, reason);
  describe.skip(`${name} [${reason}]`, () => {});
}

/** `describeWith([needs.redis], name, body)`. */
export function describeWithRedis(name: string, body: () => void): void {
  describeWith([needs.redis], name, body);
}

/** `test(name, fn, timeout)` when every requirement is met; else a skipped test naming the reason. */
export function testWith(
  requirements: readonly Requirement[],
  name: string,
  fn: () => Promise<void> | void,
  timeoutMs?: number,
): void {
  const reason = missingOf(requirements);
  if (reason === null) {
    test(name, fn, timeoutMs);
    return;
  }
  announceSkip(name, reason);
  test.skip(`${name} [${reason}]`, fn);
}
