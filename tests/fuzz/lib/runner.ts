/**
 * Sends fuzz cases to the server a few at a time, each with its caller's credentials, its own client
 * address and account email (so no rate limit answers before validation) and a timeout, and checks
 * every answer (checks.ts); 429 answers are collected apart (rate-limited.ts judges them per group). Streamed answers (SSE) are read only
 * for their first chunk: a valid subscription never ends.
 */
import type { FuzzCase } from './cases.ts';
import { type Outcome, type Violation, violations } from './checks.ts';
import type { Credentials } from './credentials.ts';
import { withOwnAccount } from './own-account.ts';
import type { Random } from './random.ts';

export const REQUEST_TIMEOUT_MS = 20_000;

export interface Failure {
  fuzzCase: FuzzCase;
  outcome: Outcome;
  violation: Violation;
  /** The request's headers as sent (credentials included: they are test keys). */
  headers: Record<string, string>;
}

async function readBody(res: Response): Promise<string> {
  if (!res.headers.get('content-type')?.includes('text/event-stream')) return res.text();
  const reader = res.body?.getReader();
  if (!reader) return '';
  const first = await Promise.race([reader.read(), Bun.sleep(1_000).then(() => null)]);
  await reader.cancel().catch(() => {});
  return first?.value ? new TextDecoder().decode(first.value) : '';
}

export async function send(
  baseUrl: string,
  c: FuzzCase,
  headers: Record<string, string>,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${c.path}`, {
      method: c.method,
      headers,
      body: c.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = c.method === 'HEAD' ? '' : await readBody(res);
    return { status: res.status, body, ms: performance.now() - started };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: null,
      body: '',
      ms: performance.now() - started,
      error: name === 'TimeoutError' ? `timeout after ${REQUEST_TIMEOUT_MS} ms` : message,
    };
  }
}

export interface RunStats {
  requests: number;
  fiveXx: number;
  /** Answers by status (`null` for none), to show how many inputs got past validation. */
  statuses: Map<number | null, number>;
}

/** Numbers the requests of a whole run, so no two (of any group) share an account email. */
let sent = 0;

export interface CasesResult {
  failures: Failure[];
  /** The answers that were 429, as failures of kind `rate limited` (a failure only past a share). */
  rateLimited: Failure[];
}

/** Runs `cases` with `concurrency` in flight; returns the violations and the 429 answers. */
export async function runCases(options: {
  baseUrl: string;
  cases: FuzzCase[];
  credentials: Credentials;
  random: Random;
  concurrency: number;
  stats: RunStats;
}): Promise<CasesResult> {
  const { cases, stats } = options;
  const failures: Failure[] = [];
  const rateLimited: Failure[] = [];
  // Headers are fixed before anything is sent, so one seed sends the same requests in any schedule.
  const prepared = cases.map((c) => ({
    c: withOwnAccount(c, ++sent),
    headers: {
      'x-forwarded-for': options.random.ip(),
      ...c.headers,
      ...options.credentials.headers(c.role),
    },
  }));
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const item = prepared[next++];
      if (!item) break;
      const outcome = await send(options.baseUrl, item.c, item.headers);
      stats.requests++;
      stats.statuses.set(outcome.status, (stats.statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.status !== null && outcome.status >= 500) stats.fiveXx++;
      if (outcome.status === 429) {
        const violation = { kind: 'rate limited', detail: 'answered 429 before validation' };
        rateLimited.push({ fuzzCase: item.c, outcome, violation, headers: item.headers });
      }
      for (const violation of violations(item.c, outcome))
        failures.push({ fuzzCase: item.c, outcome, violation, headers: item.headers });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { failures, rateLimited };
}
