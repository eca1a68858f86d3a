/**
 * One owner per embedded data directory, decided by binding a unix socket named after the directory.
 *
 * On Linux the socket lives in the abstract namespace (a name that starts with NUL, no file): `bind` is
 * atomic, so of two processes starting at once exactly one gets the name and the other `EADDRINUSE`; the
 * kernel drops the name the instant the owner dies, even on SIGKILL, so a stale lock cannot exist. The
 * same socket is the owner's PostgreSQL wire endpoint, so "the name is taken" and "there is a server to
 * talk to" are one fact, with no window between them. A pid file needs a liveness check that pid reuse
 * defeats, and a socket *file* needs unlink-and-rebind to recover from a crash, which two recovering
 * processes can race. Elsewhere (macOS has no abstract namespace) the socket is a file next to the data
 * directory and a refused connection marks it stale — with that race, narrow but real, left open.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';

export interface OwnerInfo {
  pid: number;
  command: string;
  since: string;
}

/** The socket address of a data directory (`dir` must exist). */
export function ownerAddress(dir: string, platform: NodeJS.Platform = process.platform): string {
  const real = realpathSync(dir);
  if (platform !== 'linux') return `${real}.sock`;
  return `\0f1-analytics-pglite-${createHash('sha256').update(real).digest('hex').slice(0, 40)}`;
}

export const ownerInfoPath = (dir: string) => `${dir.replace(/\/+$/, '')}.owner.json`;

function listen(server: Server, address: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(address);
  });
}

/** True when something accepts connections at a socket file; false when it is a leftover. */
function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Binds the directory's socket: the returned server is the ownership (closing it gives the directory
 * up), or null when another process owns the directory.
 */
export async function claimOwnership(
  dir: string,
  address = ownerAddress(dir),
): Promise<Server | null> {
  const server = createServer({ pauseOnConnect: true });
  if (await listen(server, address)) return writeInfo(dir, server);
  if (address.startsWith('\0') || (await answers(address))) return null;
  rmSync(address, { force: true });
  return (await listen(server, address)) ? writeInfo(dir, server) : null;
}

function writeInfo(dir: string, server: Server): Server {
  const info: OwnerInfo = {
    pid: process.pid,
    command: describeCommand(),
    since: new Date().toISOString(),
  };
  // Informational only (ownership is the socket): it lets a refused process name who holds the directory.
  writeFileSync(ownerInfoPath(dir), `${JSON.stringify(info)}\n`);
  return server;
}

export function readOwnerInfo(dir: string): OwnerInfo | null {
  try {
    const value: unknown = JSON.parse(readFileSync(ownerInfoPath(dir), 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { pid, command, since } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof command !== 'string' || typeof since !== 'string')
      return null;
    return { pid, command, since };
  } catch {
    return null;
  }
}

/** `bun run ingest import-csv …` when started through a package script, else the script path. */
function describeCommand(): string {
  const args = process.argv.slice(2).join(' ');
  const script = process.env.npm_lifecycle_event;
  if (script) return `bun run ${script}${args ? ` ${args}` : ''}`;
  const file = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) : 'bun';
  return `bun ${file}${args ? ` ${args}` : ''}`;
}
