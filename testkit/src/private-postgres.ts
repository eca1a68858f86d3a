/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl in a temp directory, on a free port), for tests
 * that stop the database mid-test: the shared PostgreSQL other tests and engineers use must never be
 * stopped.
 *
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted"), so
 * as root the binaries run as the `postgres` user through `runuser`, in a directory that user owns.
 */
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** The `postgres` system user (from /etc/passwd), or null. */
function postgresUser(): PostgresUser | null {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

const asRoot = () => process.getuid?.() === 0;

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
  if (!BIN) return `no PostgreSQL binaries in ${BIN_DIRS.join(' or ')}`;
  if (asRoot() && !postgresUser())
    return 'running as root (PostgreSQL refuses root) and there is no postgres user to run it as';
  if (asRoot() && !Bun.which('runuser'))
    return 'running as root (PostgreSQL refuses root) and runuser is missing';
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!BIN) throw new Error(privatePostgresUnavailable() ?? 'no PostgreSQL binaries');
  const user = asRoot() ? postgresUser() : null;
  if (asRoot() && !user) throw new Error(privatePostgresUnavailable() ?? 'no postgres user');
  const dir = mkdtempSync(path.join(tmpdir(), 'f1t-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = freePort();
  const pgCtl = path.join(BIN, 'pg_ctl');
  const asUser = user !== null;
  const initdb = run(
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
  try {
    await initdb;
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      if (running) await stop('immediate').catch(() => {});
      // Should pg_ctl have failed, the postmaster of this data directory (and only it) is killed.
      const pidFile = Bun.file(path.join(data, 'postmaster.pid'));
      const pid = (await pidFile.exists()) ? Number.parseInt(await pidFile.text(), 10) : Number.NaN;
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
