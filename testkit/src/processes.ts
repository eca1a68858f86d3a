/**
 * Child processes that print `listening on http://…` once ready: `bun run start` (server/src/main.ts)
 * for cross-process tests, and any server command (optionally pinned to a core) for benchmarks.
 * The caller stops them with `stop()` (SIGTERM, then SIGKILL after 5 s).
 */
import path from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  /** False once the process has exited (for tests asserting it survived). */
  alive(): boolean;
  /** What the process wrote to stderr so far (for failure messages). */
  errors(): string;
  stop(): Promise<void>;
}

const ROOT = path.join(import.meta.dir, '..', '..');

/** Starts `command` (on `core` when given) and waits up to 30 s for its `listening on` line. */
export async function startProcess(
  command: string[],
  options: { env: Record<string, string>; core?: number },
): Promise<ServerProcess> {
  const pinned =
    options.core === undefined ? command : ['taskset', '-c', String(options.core), ...command];
  const child = Bun.spawn(pinned, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await child.exited;
    clearTimeout(timer);
  };
  let errors = '';
  void (async () => {
    // One decoder, streaming: a character split across two chunks is decoded whole.
    const errorDecoder = new TextDecoder();
    for await (const chunk of child.stderr) errors += errorDecoder.decode(chunk, { stream: true });
    errors += errorDecoder.decode();
  })().catch(() => {});
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = '';
  // One read at a time: a read abandoned to a timeout would swallow the chunk it later receives.
  let pending = reader.read();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([pending, Bun.sleep(250).then(() => null)]);
    if (chunk === null) continue;
    if (chunk.done) break;
    pending = reader.read();
    output += decoder.decode(chunk.value, { stream: true });
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match?.[1]) {
      // Keep draining the pipe so a chatty server never blocks on a full buffer.
      void (async () => {
        while (!(await pending).done) pending = reader.read();
      })().catch(() => {});
      return {
        url: match[1].replace('0.0.0.0', '127.0.0.1'),
        pid: child.pid,
        alive: () => child.exitCode === null && child.signalCode === null,
        errors: () => errors,
        stop,
      };
    }
  }
  await stop();
  throw new Error(`process did not start: ${command.join(' ')}\n${output}${errors}`);
}

/** `bun run start` on a free port with a test configuration plus `env`. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return startProcess(['bun', 'server/src/main.ts'], {
    env: {
      F1_ENVIRONMENT: 'test',
      F1_HOST: '127.0.0.1',
      F1_PORT: '0',
      F1_LOG_LEVEL: 'info',
      F1_JWT_SECRET_KEY: 'test-secret-'.padEnd(40, 'x'),
      ...env,
    },
  });
}

/** Runs a command to completion with a time limit; returns its exit code and output. */
export async function run(
  cmd: string[],
  options: { cwd: string; timeoutMs?: number; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd,
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: options.timeoutMs ?? 120_000,
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}
