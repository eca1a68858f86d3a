/**
 * Serves the owner's PGlite over the PostgreSQL wire protocol on the ownership socket, so other
 * processes (CLIs, the scheduler) use the embedded database through postgres.js like any PostgreSQL.
 *
 * PGlite has ONE session, shared by every connection and by the owner's own queries. A connection
 * therefore takes the session lock when it sends its first message and keeps it until the backend
 * reports ReadyForQuery with status idle (`I`): a whole extended-protocol batch, or a whole transaction
 * from BEGIN to COMMIT, runs with nothing else interleaved. (`@electric-sql/pglite-socket` queues per
 * message and keeps a client's affinity only while `isInTransaction()`; two clients' Parse/Bind/Execute
 * batches interleave there, and the owner's own queries are not in its queue at all.)
 *
 * Nothing reaches PGlite before the client has sent the owner's secret (./owner-secret.ts) as its
 * password: anyone on the machine can connect to an abstract socket. A wrong or missing password is
 * answered 28P01 and the connection closed; one that does not authenticate in `authTimeoutMs` is closed.
 *
 * A connection that dies while holding the session has its batch closed (Sync) and its transaction
 * rolled back before anyone else runs; one that holds the session idle for `holdTimeoutMs` is cut off.
 */
import type { Server, Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { secretMatches } from './owner-secret.ts';
import type { SessionLock } from './session-lock.ts';
import {
  AUTH_CLEARTEXT,
  fatalError,
  GSSENC_REQUEST,
  type Notification,
  nextMessage,
  PASSWORD_MESSAGE,
  PROTOCOL_3,
  passwordOf,
  queryMessage,
  ReplyWatcher,
  refusal,
  SSL_REQUEST,
  SYNC,
  sanitizedStartup,
} from './wire-framing.ts';

export interface WireServerOptions {
  /** The owner's instance; connections that arrive while it is still opening wait for it. */
  pglite: Promise<PGlite>;
  lock: SessionLock;
  /** The password every connection must send before anything reaches PGlite. */
  secret: string;
  /** Longest a connection may hold the session without sending anything (default 10 s). */
  holdTimeoutMs?: number;
  /** Longest a connection may take to authenticate (default 10 s). */
  authTimeoutMs?: number;
  /** A client's `NOTIFY` (delivered to the shared session, which the owner may listen on). */
  onNotify?: (notification: Notification) => void;
}

export const DEFAULT_HOLD_TIMEOUT_MS = 10_000;
const TERMINATE = 0x58;
/** More than a startup and a password message take: an unauthenticated peer cannot make us buffer. */
const MAX_UNAUTHENTICATED_BYTES = 16_384;

class WireConnection {
  #buffer: Buffer = Buffer.alloc(0);
  #started = false;
  /** The startup message, relayed to PGlite once the password is right. */
  #startupMessage: Buffer | null = null;
  #authenticated = false;
  readonly #authTimer: ReturnType<typeof setTimeout>;
  #release: (() => void) | null = null;
  #pumping: Promise<void> = Promise.resolve();
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #replies: ReplyWatcher;
  closed = false;
  readonly done: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly options: WireServerOptions,
  ) {
    this.#replies = new ReplyWatcher(options.onNotify);
    const { promise, resolve } = Promise.withResolvers<void>();
    this.done = promise;
    this.#authTimer = setTimeout(() => socket.destroy(), options.authTimeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      if (!this.#authenticated && this.#buffer.length > MAX_UNAUTHENTICATED_BYTES)
        return void socket.destroy();
      this.#armHoldTimer();
      this.#pumping = this.#pumping.then(() => this.#pump());
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      clearTimeout(this.#authTimer);
      this.#pumping = this.#pumping.then(() => this.#recover()).finally(resolve);
    });
    socket.resume();
  }

  /** Relays every whole message received so far, in order. */
  async #pump(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return;
        const message = nextMessage(this.#buffer, !this.#started);
        if (!message) return;
        this.#buffer = this.#buffer.subarray(message.length);
        if (!this.#started) this.#startup(message);
        else if (!this.#authenticated) await this.#authenticate(message);
        else if (message[0] === TERMINATE) return void this.socket.end();
        else {
          // What PGlite cannot survive closes this connection instead, naming why (#recover cleans up).
          const refused = refusal(message);
          if (refused) return void this.socket.end(fatalError('0A000', refused));
          await this.#execute(message);
        }
      }
    } catch {
      // A malformed message or a backend failure: this connection cannot go on; #recover cleans up.
      this.socket.destroy();
    }
  }

  #startup(message: Buffer): void {
    const code = message.length >= 8 ? message.readInt32BE(4) : 0;
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) this.socket.write('N');
    else if (code === PROTOCOL_3) {
      this.#started = true;
      this.#startupMessage = sanitizedStartup(message);
      this.socket.write(AUTH_CLEARTEXT);
    } else this.socket.destroy(); // a CancelRequest (PGlite has no backend to signal) or garbage
  }

  /** The first typed message must be the right password; then PGlite sees the startup message. */
  async #authenticate(message: Buffer): Promise<void> {
    const given = message[0] === PASSWORD_MESSAGE ? passwordOf(message) : '';
    if (!secretMatches(this.options.secret, given) || !this.#startupMessage) {
      this.closed = true; // nothing after this message is looked at
      this.socket.end(fatalError('28P01', 'password authentication failed for user "postgres"'));
      return;
    }
    this.#authenticated = true;
    clearTimeout(this.#authTimer);
    await this.#execute(this.#startupMessage);
    this.#startupMessage = null;
  }

  async #execute(message: Uint8Array): Promise<void> {
    const pglite = await this.options.pglite;
    this.#release ??= await this.options.lock.acquire();
    this.#replies.status = null;
    await pglite.runExclusive(() =>
      pglite.execProtocolRawStream(message, {
        onRawData: (data) => {
          this.#replies.push(data);
          // A copy: the chunk may be a view into PGlite's memory, reused by the next reply.
          if (!this.closed) this.socket.write(Buffer.from(data));
        },
      }),
    );
    if (this.#replies.status === 'I') {
      await resetSession(pglite);
      this.#handOn();
    } else this.#armHoldTimer();
  }

  #handOn(): void {
    clearTimeout(this.#holdTimer);
    this.#release?.();
    this.#release = null;
  }

  #armHoldTimer(): void {
    clearTimeout(this.#holdTimer);
    if (!this.#release) return;
    this.#holdTimer = setTimeout(
      () => this.socket.destroy(),
      this.options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Leaves the shared session as the connection found it: no open batch, no open transaction. */
  async #recover(): Promise<void> {
    if (!this.#release) return;
    const pglite = await this.options.pglite;
    try {
      await pglite.runExclusive(() => pglite.execProtocolRawStream(SYNC, { onRawData: () => {} }));
      if (pglite.isInTransaction())
        await pglite.runExclusive(() =>
          pglite.execProtocolRawStream(queryMessage('ROLLBACK'), { onRawData: () => {} }),
        );
      await resetSession(pglite);
    } finally {
      this.#handOn();
    }
  }
}

/**
 * Settings a client changed (`SET default_transaction_read_only = on` made every later write of the
 * server fail) must not outlive its turn on the shared session: reset whenever the session is handed on.
 */
const RESET = queryMessage('RESET SESSION AUTHORIZATION; RESET ALL');

function resetSession(pglite: PGlite): Promise<unknown> {
  return pglite.runExclusive(() => pglite.execProtocolRawStream(RESET, { onRawData: () => {} }));
}

/** Starts relaying connections on `server` (the ownership socket); `close()` cuts every client off. */
export function serveWire(server: Server, options: WireServerOptions) {
  const connections = new Set<WireConnection>();
  let accepting = true;
  server.on('connection', (socket: Socket) => {
    if (!accepting) return void socket.destroy();
    const connection = new WireConnection(socket, options);
    connections.add(connection);
    void connection.done.then(() => connections.delete(connection));
  });
  return {
    get clients(): number {
      return connections.size;
    },
    /** Resolves once no client is connected (new ones are still served meanwhile). */
    async drained(): Promise<void> {
      while (connections.size) await Promise.all([...connections].map((c) => c.done));
    },
    async close(): Promise<void> {
      accepting = false;
      for (const connection of connections) connection.destroy();
      await this.drained();
    },
  };
}
