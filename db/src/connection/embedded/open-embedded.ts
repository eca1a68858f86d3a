/**
 * Opens the embedded database so that any number of processes can use one data directory:
 *
 * - the first process to claim the directory (./owner.ts) opens PGlite — it alone touches the files —
 *   and serves it to the others over the PostgreSQL wire protocol on the ownership socket;
 * - every later process connects to that socket with postgres.js (one connection: PGlite has one
 *   session anyway), unless it must own the directory (the server), which then fails with one line
 *   naming the owner.
 *
 * An owner that is not the server (a CLI, the scheduler) waits on close until its clients have
 * finished, then gives the directory up; the server cuts its clients off when it stops.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { DB } from '../../schema.ts';
import type { Database } from '../connect.ts';
import { SessionLockedPgliteDialect } from './locked-dialect.ts';
import { claimOwnership, ownerAddress, ownerInfoPath, readOwnerInfo } from './owner.ts';
import { createOwnerSecret, readOwnerSecret } from './owner-secret.ts';
import { SessionLock } from './session-lock.ts';
import type { Notification } from './wire-framing.ts';
import { serveWire } from './wire-server.ts';

export interface EmbeddedOptions {
  /** Fail (EmbeddedDatabaseBusyError) instead of sharing another process's database. */
  requireOwner?: boolean;
  /** See WireServerOptions.holdTimeoutMs. */
  holdTimeoutMs?: number;
  /** How long the owner's own queries wait for a client to hand the session back (default 5 s). */
  lockTimeoutMs?: number;
  /** Opens the owner's PGlite (the parsers live in connect.ts). */
  open(dir: string): Promise<PGlite>;
  /** Connects to the owner's socket (postgres.js with connect.ts's parsers), sending `password()`. */
  connectClient(address: string, password: () => string): Database;
}

export class EmbeddedDatabaseBusyError extends Error {
  override readonly name = 'EmbeddedDatabaseBusyError';
  readonly code = 'EMBEDDED_DATABASE_BUSY';

  constructor(dir: string) {
    const owner = readOwnerInfo(dir);
    const who = owner ? `pid ${owner.pid} (${owner.command})` : 'another process';
    super(
      `the embedded database in ${dir} is in use by ${who}: stop it and start the server first ` +
        '(CLIs and the scheduler then share the database through the server), or set F1_DATABASE_URL',
    );
  }
}

export type EmbeddedDatabase = Database & { readonly role: 'owner' | 'client' };

export async function openEmbedded(
  dir: string,
  options: EmbeddedOptions,
): Promise<EmbeddedDatabase> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const address = ownerAddress(dir);
  const server = await claimOwnership(dir, address);
  if (!server) {
    if (options.requireOwner) throw new EmbeddedDatabaseBusyError(dir);
    // Read when the owner asks for it, on every (re)connection: a new owner has a new secret.
    const password = () => readOwnerSecret(dir);
    return { ...options.connectClient(address, password), role: 'client' };
  }
  // Before serving anyone: a client reads the secret only once the owner asks it for its password.
  const secret = createOwnerSecret(dir);
  const opening = options.open(dir);
  const lock = new SessionLock();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const dispatch = ({ channel, payload }: Notification) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
  const wire = serveWire(server, {
    pglite: opening,
    lock,
    secret,
    holdTimeoutMs: options.holdTimeoutMs,
    onNotify: dispatch,
  });
  let pglite: PGlite;
  try {
    pglite = await opening;
  } catch (error) {
    await wire.close();
    await giveUp(dir, server);
    throw error;
  }
  const db = new Kysely<DB>({
    dialect: new SessionLockedPgliteDialect(pglite, lock, options.lockTimeoutMs),
  });
  return {
    db,
    kind: 'pglite',
    role: 'owner',
    pool: { maxConnections: 1 },
    poolStats: () => {
      const inUse = lock.holder === null ? 0 : 1;
      return { max: 1, inUse, idle: 1 - inUse, waiting: lock.waiting, clients: wire.clients };
    },
    async listen(channel, onPayload) {
      let channelListeners = listeners.get(channel);
      if (!channelListeners) {
        channelListeners = new Set();
        listeners.set(channel, channelListeners);
        // LISTEN on the shared session, in a turn of our own (never inside a client's transaction).
        const release = await lock.acquire();
        try {
          await pglite.listen(channel, (payload) => dispatch({ channel, payload }));
        } finally {
          release();
        }
      }
      const added = channelListeners;
      added.add(onPayload);
      return () => void added.delete(onPayload);
    },
    async close() {
      if (!options.requireOwner && wire.clients > 0) {
        process.stderr.write(
          `waiting for ${wire.clients} connection(s) of other processes to the embedded database to finish\n`,
        );
        await wire.drained();
      }
      await wire.close();
      await db.destroy();
      // Kysely only closes an instance it has used; close one that never ran a query too.
      if (!pglite.closed) await pglite.close();
      await giveUp(dir, server);
    },
  };
}

/** Releases ownership — only once the files are closed, so the next owner never meets an open copy. */
async function giveUp(dir: string, server: Server): Promise<void> {
  rmSync(ownerInfoPath(dir), { force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
