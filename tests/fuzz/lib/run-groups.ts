/**
 * Runs the fuzz groups in order against the server: after each group the process must answer /health
 * (a dead one is recorded as a failure and restarted, so one crash does not hide every later class),
 * a group whose answers are mostly rate limits fails (its inputs never reached validation), and
 * credentials that a group may have ended are renewed.
 */
import type { FuzzCase } from './cases.ts';
import type { Credentials } from './credentials.ts';
import type { FuzzServer } from './fuzz-server.ts';
import type { Random } from './random.ts';
import { type Failure, type RunStats, runCases } from './runner.ts';

/** Groups whose fuzzed calls can end the fuzz callers' sessions or keys. */
const ENDS_CREDENTIALS =
  /auth\.logout|logout-all|auth\/logout|apiKeys\.revoke|api-keys\/\{id\}|admin\.users\.update|admin\/users\/\{id\}/;
const CONCURRENCY = 4;
/** A group fails when more than this share of its answers are 429: the limits answered, not validation. */
export const MAX_RATE_LIMITED_SHARE = 0.05;

/** The group's 429 answers as failures when they are more than its share, else none. */
export function rateLimitFailures(cases: number, rateLimited: Failure[]): Failure[] {
  if (rateLimited.length <= cases * MAX_RATE_LIMITED_SHARE) return [];
  const share = `${rateLimited.length} of ${cases} answers (over ${MAX_RATE_LIMITED_SHARE * 100} %)`;
  return rateLimited.map((f) => ({ ...f, violation: { ...f.violation, detail: share } }));
}

export async function healthy(server: FuzzServer): Promise<boolean> {
  if (!server.alive()) return false;
  try {
    const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export function groupsOf(cases: FuzzCase[]): Map<string, FuzzCase[]> {
  const groups = new Map<string, FuzzCase[]>();
  for (const c of cases) {
    const list = groups.get(c.group) ?? [];
    list.push(c);
    groups.set(c.group, list);
  }
  return groups;
}

export interface GroupsResult {
  stats: RunStats;
  failures: Failure[];
  /** Milliseconds per group. */
  timings: [string, number][];
}

export async function runGroups(options: {
  server: FuzzServer;
  groups: [string, FuzzCase[]][];
  credentials: Credentials;
  random: Random;
}): Promise<GroupsResult> {
  const { server, credentials, random } = options;
  const stats: RunStats = { requests: 0, fiveXx: 0, statuses: new Map() };
  const failures: Failure[] = [];
  const timings: [string, number][] = [];
  for (const [name, cases] of options.groups) {
    const started = performance.now();
    const baseUrl = server.url;
    const concurrency = CONCURRENCY;
    const ran = await runCases({ baseUrl, cases, credentials, random, concurrency, stats });
    failures.push(...ran.failures, ...rateLimitFailures(cases.length, ran.rateLimited));
    const last = cases.at(-1);
    if (!(await healthy(server))) {
      if (last) {
        const error = `process down after group ${name}`;
        const outcome = { status: null, body: server.output().slice(-600), ms: 0, error };
        failures.push({
          fuzzCase: last,
          outcome,
          violation: { kind: 'process died', detail: name },
          headers: {},
        });
      }
      await server.restart();
      await credentials.renew();
    } else if (ENDS_CREDENTIALS.test(name)) {
      await credentials.renew();
    }
    timings.push([name, performance.now() - started]);
  }
  return { stats, failures, timings };
}
