/**
 * A Redis server of the test's own (on a free port, no persistence), for tests that stop Redis
 * mid-test: the shared Redis other test files and engineers use must never be stopped.
 */
import { createRedis, waitForRedis } from '@f1/core/redis';

export interface PrivateRedis {
  url: string;
  /** Stops the server (SIGKILL: an abrupt outage, as in production). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return Bun.which('redis-server') !== null;
}

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

async function waitUntilUp(url: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const probe = createRedis(url);
    probe.on('error', () => {});
    try {
      await waitForRedis(probe, 500);
      return;
    } catch {
      await Bun.sleep(50);
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`private redis-server did not start at ${url}`);
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = freePort();
  const url = `redis://127.0.0.1:${port}`;
  const spawn = () =>
    Bun.spawn(
      [
        'redis-server',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdout: 'ignore', stderr: 'ignore' },
    );
  let proc = spawn();
  await waitUntilUp(url);
  return {
    url,
    async stop() {
      proc.kill('SIGKILL');
      await proc.exited;
    },
    async restart() {
      proc = spawn();
      await waitUntilUp(url);
    },
  };
}
