/**
 * Just enough of the PostgreSQL wire protocol (v3) framing to relay it: split the client's byte stream
 * into messages, and watch the backend's replies for ReadyForQuery and its transaction status.
 */

/** Codes of the untyped first messages (`int32 length, int32 code`). */
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const PROTOCOL_3 = 196608;

/**
 * The frontend messages a client may send once started: Query, Parse, Bind, Execute, Describe, Close,
 * Sync, Flush, and CopyData/CopyDone/CopyFail (which the backend ignores outside a COPY). PGlite's
 * backend treats any other type as a FATAL protocol violation and never comes back from it (the whole
 * owner hangs), so those are never relayed. Terminate is handled by the relay itself.
 */
const RELAYED = new Set([...'QPBEDCSHdcf'].map((c) => c.charCodeAt(0)));

/**
 * `COPY … FROM STDIN`: PGlite's single-user backend reads the copy data from the message it was given,
 * meets its end, and exits the whole WASM instance or loses protocol sync for good. Matching the
 * statement's shape can be dodged (comments ended by `\r`, quoting), but keywords cannot be quoted or
 * escaped: a Query or Parse whose text holds both `copy` and `from` anywhere is refused. Our clients never
 * send COPY through the socket.
 */
const COPY = /copy/i;
const FROM = /from/i;

/** Why a started connection's message must not reach PGlite, or null when it may. */
export function refusal(message: Buffer): string | null {
  const type = message[0] ?? 0;
  if (!RELAYED.has(type)) return `message type 0x${type.toString(16)} is not relayed`;
  if (type === 0x51 || type === 0x50) {
    const text = message.subarray(5).toString('utf8');
    if (COPY.test(text) && FROM.test(text))
      return 'COPY … FROM is not supported by the embedded database';
  }
  return null;
}

/** Startup parameters a client may set: anything else (replication, options, …) changes the session. */
const STARTUP_KEPT = new Set(['user', 'database']);

/**
 * The client's startup message with only `user` and `database` kept: PGlite has ONE session, shared with
 * the owner, and a parameter such as `replication=database` switched it into replication mode for good.
 */
export function sanitizedStartup(message: Buffer): Buffer {
  const fields = message.subarray(8).toString('utf8').split('\0');
  const kept: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i] ?? '';
    if (!key) break;
    if (STARTUP_KEPT.has(key)) kept.push(key, fields[i + 1] ?? '');
  }
  const body = Buffer.from(`${kept.map((f) => `${f}\0`).join('')}\0`);
  const out = Buffer.alloc(8 + body.length);
  out.writeInt32BE(8 + body.length, 0);
  out.writeInt32BE(PROTOCOL_3, 4);
  body.copy(out, 8);
  return out;
}

/** A Sync message: ends an extended-protocol batch, so the backend answers ReadyForQuery. */
export const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** The next whole message in `buffer` (typed, or untyped when `startup`), or null until more arrives. */
export function nextMessage(buffer: Buffer, startup: boolean): Buffer | null {
  const header = startup ? 4 : 5;
  if (buffer.length < header) return null;
  const declared = buffer.readInt32BE(startup ? 0 : 1);
  // PostgreSQL itself caps a message at 1 GB; anything shorter than its own length field is garbage.
  if (declared < 4 || declared > 2 ** 30) throw new Error('malformed message length');
  const length = (startup ? 0 : 1) + declared;
  return buffer.length >= length ? buffer.subarray(0, length) : null;
}

/** A NotificationResponse (`A`): the notifying backend's pid, the channel and the payload. */
export interface Notification {
  channel: string;
  payload: string;
}

/** Reads `A` message bodies: int32 pid, channel NUL, payload NUL. */
function notificationOf(message: Buffer): Notification {
  const body = message.subarray(9);
  const channelEnd = body.indexOf(0);
  const payloadEnd = body.indexOf(0, channelEnd + 1);
  return {
    channel: body.subarray(0, channelEnd).toString('utf8'),
    payload: body
      .subarray(channelEnd + 1, payloadEnd < 0 ? body.length : payloadEnd)
      .toString('utf8'),
  };
}

/**
 * Reads the backend's messages as they stream by, remembers the last ReadyForQuery status and hands
 * NotificationResponses (a `NOTIFY` on the shared session, which the owner listens on) to `onNotify`.
 */
export class ReplyWatcher {
  #rest: Buffer = Buffer.alloc(0);
  /** `I` idle, `T` in a transaction, `E` in a failed transaction; null until a ReadyForQuery is seen. */
  status: 'I' | 'T' | 'E' | null = null;

  constructor(private readonly onNotify?: (notification: Notification) => void) {}

  push(chunk: Uint8Array): void {
    let data = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : Buffer.from(chunk);
    while (data.length >= 5) {
      const end = 1 + data.readInt32BE(1);
      if (data.length < end) break;
      if (data[0] === 0x5a) {
        const status = String.fromCharCode(data[5] ?? 0);
        this.status = status === 'T' || status === 'E' ? status : 'I';
      } else if (data[0] === 0x41 && this.onNotify) {
        this.onNotify(notificationOf(data.subarray(0, end)));
      }
      data = data.subarray(end);
    }
    // Only a partial message is kept: a large result never accumulates here.
    this.#rest = Buffer.from(data);
  }
}

/** A PasswordMessage's type byte. */
export const PASSWORD_MESSAGE = 0x70;

/** AuthenticationCleartextPassword: asks the client for its password (fine over a local socket). */
export const AUTH_CLEARTEXT = new Uint8Array([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);

/** The password a PasswordMessage carries (its body up to the terminating NUL). */
export function passwordOf(message: Buffer): string {
  const body = message.subarray(5);
  const end = body.indexOf(0);
  return body.subarray(0, end < 0 ? body.length : end).toString('utf8');
}

/** A typed message: its type byte, its length, then `body`. */
function typedMessage(type: string, body: string): Buffer {
  const bytes = Buffer.from(body);
  const message = Buffer.alloc(5 + bytes.length);
  message[0] = type.charCodeAt(0);
  message.writeInt32BE(4 + bytes.length, 1);
  bytes.copy(message, 5);
  return message;
}

/** A FATAL ErrorResponse with `sqlstate` and `text` (what PostgreSQL sends before it closes). */
export function fatalError(sqlstate: string, text: string): Buffer {
  const fields = ['SFATAL', 'VFATAL', `C${sqlstate}`, `M${text}`].map((f) => `${f}\0`).join('');
  return typedMessage('E', `${fields}\0`);
}

/** A simple-protocol Query message. */
export function queryMessage(text: string): Buffer {
  return typedMessage('Q', `${text}\0`);
}
