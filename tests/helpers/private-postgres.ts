/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl in a temp directory, on a free port), for tests
 * that stop the database mid-test: the shared PostgreSQL other tests and engineers use must never be
 * stopped.
 *
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted"), so
 * as root the binaries run as the `postgres` user through `runuser`, in a directory that user owns.
 */
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin'];
const BIN = BIN_DIRS.find((dir) => Bun.file(path.join(dir, 'pg_ctl')).size > 0);

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** `pg_ctl stop -m <mode>`: immediate kills the backends, fast terminates their sessions. */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its directory. */
  destroy(): Promise<void>;
}

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

interface PostgresUser {
  uid: number;
  gid: number;
}

/** The `postgres` system user as root (from /etc/passwd), or null when already unprivileged. */
async function runAsUser(): Promise<PostgresUser | null> {
  if (process.getuid?.() !== 0) return null;
  const passwd = await Bun.file('/etc/passwd').text();
  const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid || !Bun.which('runuser'))
    throw new Error('running as root, but no postgres user or runuser to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

async function run(command: string[], asUser: boolean): Promise<void> {
  const argv = asUser ? ['runuser', '-u', 'postgres', '--', ...command] : command;
  const child = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe' });
  const [code, out, err] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  if (code !== 0) throw new Error(`${command.join(' ')} failed (${code}): ${out}${err}`);
}

/**
 * Why a private PostgreSQL cannot run here, or null when it can. Tests print this and skip.
 */
export function privatePostgresUnavailable(): string | null {
  return BIN ? null : `no PostgreSQL binaries in ${BIN_DIRS.join(' or ')}`;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!BIN) throw new Error(privatePostgresUnavailable() ?? 'no PostgreSQL binaries');
  const user = await runAsUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'f1t-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = freePort();
  const pgCtl = path.join(BIN, 'pg_ctl');
  const asUser = user !== null;
  await run(
    [
      path.join(BIN, 'initdb'),
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ],
    asUser,
  );
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  let running = false;
  const start = async () => {
    await run(
      [pgCtl, '-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start'],
      asUser,
    );
    running = true;
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await run([pgCtl, '-D', data, '-m', mode, '-w', 'stop'], asUser);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      if (running) await stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
