/**
 * Runs the fuzz groups in order against the server: after each group the process must answer /health
 * (a dead one is recorded as a failure and restarted, so one crash does not hide every later class),
 * and credentials that a group may have ended are renewed.
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
    failures.push(...(await runCases({ baseUrl, cases, credentials, random, concurrency, stats })));
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
