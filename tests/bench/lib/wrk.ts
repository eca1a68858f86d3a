/**
 * Runs wrk (pinned to a core) against a URL and measures the server process meanwhile: requests/s,
 * latency percentiles, non-2xx answers, server CPU-µs per request (utime+stime delta from /proc) and RSS.
 */
import { readFileSync } from 'node:fs';

export interface WrkRun {
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  cpuUsPerRequest: number;
  rssMb: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process (all its threads), in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  return match[2] === 'us'
    ? n / 1000
    : match[2] === 'ms'
      ? n
      : match[2] === 's'
        ? n * 1000
        : n * 60_000;
}

export function parseWrk(output: string): Omit<WrkRun, 'cpuUsPerRequest' | 'rssMb'> {
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0);
  // Anchored: the thread-stats lines end in percentages too ("… 78.50%").
  const p50 = /^\s+50%\s+(\S+)/m.exec(output)?.[1] ?? '';
  const p99 = /^\s+99%\s+(\S+)/m.exec(output)?.[1] ?? '';
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requests, rps, p50Ms: toMs(p50), p99Ms: toMs(p99), errors: non2xx + socketErrors };
}

export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  /** The server process to measure. */
  pid: number;
  /** Core the load generator runs on. */
  core: number;
  headers?: Record<string, string>;
}

export async function wrk(options: WrkOptions): Promise<WrkRun> {
  const { url, connections, seconds, pid, core } = options;
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => [
    '-H',
    `${k}: ${v}`,
  ]);
  const cpuBefore = cpuMicros(pid);
  const child = Bun.spawn(
    [
      'taskset',
      '-c',
      String(core),
      'wrk',
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--latency',
      '--timeout',
      '5s',
      ...headerArgs,
      url,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  );
  let rss = 0;
  const sampler = setInterval(() => {
    rss = Math.max(rss, rssMb(pid));
  }, 500);
  const output = await new Response(child.stdout).text();
  await child.exited;
  clearInterval(sampler);
  const cpu = cpuMicros(pid) - cpuBefore;
  const parsed = parseWrk(output);
  if (parsed.requests === 0)
    throw new Error(
      `wrk produced no requests:\n${output}${await new Response(child.stderr).text()}`,
    );
  return { ...parsed, cpuUsPerRequest: cpu / parsed.requests, rssMb: Math.max(rss, rssMb(pid)) };
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
