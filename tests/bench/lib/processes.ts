/** Bench child processes: started pinned to a core, stopped by PID. */

export interface Child {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts `command` on `core`, waits for a `listening on http://…` line on stdout. */
export async function startPinned(
  command: string[],
  options: { core: number; env: Record<string, string>; cwd: string },
): Promise<Child> {
  const child = Bun.spawn(['taskset', '-c', String(options.core), ...command], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdout: 'pipe',
    stderr: 'inherit',
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
  let pending = reader.read();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([pending, Bun.sleep(250).then(() => null)]);
    if (chunk === null) continue;
    if (chunk.done) break;
    pending = reader.read();
    output += decoder.decode(chunk.value);
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match?.[1]) {
      void (async () => {
        while (!(await pending).done) pending = reader.read();
      })().catch(() => {});
      return { pid: child.pid, url: match[1].replace('0.0.0.0', '127.0.0.1'), stop };
    }
  }
  await stop();
  throw new Error(`process did not start: ${command.join(' ')}\n${output}`);
}
