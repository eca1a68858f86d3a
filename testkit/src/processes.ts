/**
 * The one spawner of child processes for tests and benchmarks: a server (`bun server/src/main.ts`,
 * or any command that prints `listening on http://…` once ready, optionally pinned to a core) and
 * commands run to completion. A started process keeps its whole output (stdout and stderr, decoded as
 * streams so a character split across chunks is read whole) for assertions and failure messages;
 * `stop()` ends it (SIGTERM, SIGKILL after a grace period) and runs its cleanup.
 */
import path from 'node:path';
import { TEST_JWT_SECRET } from './config.ts';

/** The project root: the working directory of every child. */
export const ROOT = path.resolve(import.meta.dir, '../..');

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** False once the process has exited (for tests asserting it survived). */
  alive(): boolean;
  /** What the process wrote to stderr so far. */
  errors(): string;
  /** Everything it wrote so far, stdout and stderr interleaved (for failure messages). */
  logs(): string;
  /** Stops it (if running), then runs the cleanup it was started with. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The child's environment: PATH and HOME plus these (nothing else leaks from the test's own). */
  env: Record<string, string>;
  /** Pins the child to one CPU core (taskset), for benchmarks. */
  core?: number;
  /** How long to wait for `listening on` (default 60 s). */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL in `stop()` (default 5 s). */
  killAfterMs?: number;
  /** Runs after the process has stopped (e.g. drops its database). */
  cleanup?: () => Promise<void>;
}

/** The process env without the developer's own F1_* settings, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('F1_') && v !== undefined) base[k] = v;
  return { ...base, ...env };
}

/** Appends a stream to the output as it arrives, decoding it as one stream. */
async function collect(
  stream: ReadableStream<Uint8Array>,
  append: (text: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) append(decoder.decode(chunk, { stream: true }));
  append(decoder.decode());
}

/** Starts `command` and waits for its `listening on` line. */
export async function startProcess(
  command: string[],
  options: StartOptions,
): Promise<ServerProcess> {
  const pinned =
    options.core === undefined ? command : ['taskset', '-c', String(options.core), ...command];
  const child = Bun.spawn(pinned, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let stdout = '';
  let errors = '';
  let logs = '';
  // Both pipes are drained for the child's whole life, so a chatty child never blocks on a full one.
  void collect(child.stdout, (text) => {
    stdout += text;
    logs += text;
  }).catch(() => {});
  void collect(child.stderr, (text) => {
    errors += text;
    logs += text;
  }).catch(() => {});
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 5_000);
      await child.exited;
      clearTimeout(timer);
    }
    await options.cleanup?.();
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const match = /listening on http:\/\/[^:\s]+:(\d+)/.exec(stdout);
    if (match?.[1]) {
      const port = Number(match[1]);
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid,
        alive: () => child.exitCode === null && child.signalCode === null,
        errors: () => errors,
        logs: () => logs,
        stop,
      };
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await Bun.sleep(25);
  }
  await stop();
  throw new Error(`process did not start: ${command.join(' ')}\n${logs}`);
}

/** The environment of a test server: a test configuration on a free port, plus `env`. */
export function serverEnv(env: Record<string, string> = {}): Record<string, string> {
  return {
    F1_ENVIRONMENT: 'test',
    F1_HOST: '127.0.0.1',
    F1_PORT: '0',
    F1_LOG_LEVEL: 'info',
    F1_JWT_SECRET_KEY: TEST_JWT_SECRET,
    ...env,
  };
}

/** `bun server/src/main.ts` with a test configuration plus `env`. */
export function startServer(
  env: Record<string, string>,
  options: Omit<StartOptions, 'env'> = {},
): Promise<ServerProcess> {
  return startProcess(['bun', 'server/src/main.ts'], { ...options, env: serverEnv(env) });
}

/** Runs a command to completion with a time limit; returns its exit code and output. */
export async function run(
  cmd: string[],
  options: {
    cwd?: string;
    timeoutMs?: number;
    env?: Record<string, string>;
    /** Start from `cleanEnv()` (no F1_* settings of the test's own) rather than the whole env. */
    isolated?: boolean;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = options.isolated ? cleanEnv(options.env) : { ...process.env, ...options.env };
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd ?? ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: options.timeoutMs ?? 120_000,
    ...(options.env || options.isolated ? { env } : {}),
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}
