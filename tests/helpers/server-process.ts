/**
 * Starts `bun run start` (server/src/main.ts) as a real child process on a free port and waits for its
 * "listening on" line. The caller stops it with `stop()` (SIGTERM, then SIGKILL after 5 s).
 */
import path from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const ROOT = path.join(import.meta.dir, '..', '..');

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = Bun.spawn(['bun', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      F1_ENVIRONMENT: 'test',
      F1_HOST: '127.0.0.1',
      F1_PORT: '0',
      F1_LOG_LEVEL: 'info',
      F1_JWT_SECRET_KEY: 'test-secret-'.padEnd(40, 'x'),
      ...env,
    },
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
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = '';
  const deadline = Date.now() + 20_000;
  // One read at a time: a read abandoned to a timeout would swallow the chunk it later receives.
  let pending = reader.read();
  while (Date.now() < deadline) {
    const chunk = await Promise.race([pending, Bun.sleep(500).then(() => null)]);
    if (chunk === null) continue;
    if (chunk.done) break;
    pending = reader.read();
    output += decoder.decode(chunk.value);
    const match = /listening on (http:\/\/[^\s]+)/.exec(output);
    if (match?.[1]) {
      // Keep draining the pipe so a chatty server never blocks on a full buffer.
      void (async () => {
        while (!(await pending).done) pending = reader.read();
      })().catch(() => {});
      return { url: match[1].replace('0.0.0.0', '127.0.0.1'), pid: child.pid, stop };
    }
  }
  await stop();
  throw new Error(
    `server did not start: ${output}${await new Response(child.stderr).text().catch(() => '')}`,
  );
}
