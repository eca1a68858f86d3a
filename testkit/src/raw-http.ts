/**
 * HTTP/1.1 requests written by hand over a TCP socket, for what `fetch` cannot express: a body that
 * keeps coming until the server answers (to see whether the server reads it), a Content-Length the
 * body never reaches, and a count of the bytes the server accepted before it answered.
 */
import { connect, type Socket } from 'node:net';

export interface RawRequest {
  /** `http://127.0.0.1:1234` */
  origin: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /**
   * Total body bytes to send; `Infinity` keeps sending until the server answers or closes. With
   * `chunked` the body is sent with chunked transfer encoding, otherwise as is (declare a
   * Content-Length in `headers`).
   */
  bodyBytes: number;
  chunked?: boolean;
  /** The byte pattern the body repeats (default `x`). */
  fill?: string;
  /** Sent before and after the filler (e.g. `{"password":"` and `"}`), not counted in `bodyBytes`. */
  wrap?: [prefix: string, suffix: string];
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Body bytes the socket accepted before the response head arrived. */
  bytesSentBeforeResponse: number;
}

const CHUNK = 64 * 1024;

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** Writes the body, awaiting drain, until done or `stopped()` says the server has answered. */
async function writeBody(
  socket: Socket,
  request: RawRequest,
  progress: { sent: number; stopped: () => boolean },
): Promise<void> {
  const piece = Buffer.from((request.fill ?? 'x').repeat(CHUNK).slice(0, CHUNK));
  const [prefix, suffix] = request.wrap ?? ['', ''];
  const frame = (data: Buffer) =>
    request.chunked
      ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
      : data;
  if (prefix) socket.write(frame(Buffer.from(prefix)));
  while (progress.sent < request.bodyBytes && !progress.stopped() && !socket.destroyed) {
    const size = Math.min(CHUNK, request.bodyBytes - progress.sent);
    const data = size === CHUNK ? piece : piece.subarray(0, size);
    const flushed = socket.write(frame(data));
    progress.sent += size;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  if (progress.stopped() || socket.destroyed) return;
  if (suffix) socket.write(frame(Buffer.from(suffix)));
  if (request.chunked) socket.write('0\r\n\r\n');
}

/** Sends the request and resolves once the whole response has arrived (or the socket closed). */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let received = Buffer.alloc(0);
    let answered = false;
    let sentBeforeResponse = 0;
    const progress = { sent: 0, stopped: () => answered };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer within ${request.timeoutMs ?? 60_000} ms (sent ${progress.sent} bytes)`,
        ),
      );
    }, request.timeoutMs ?? 60_000);
    const finish = () => {
      clearTimeout(timer);
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0)
        return reject(new Error(`connection closed without a response (sent ${progress.sent})`));
      const { status, headers } = parseHead(text.slice(0, end));
      socket.destroy();
      resolve({
        status,
        headers,
        body: received.subarray(end + 4).toString('utf8'),
        bytesSentBeforeResponse: sentBeforeResponse,
      });
    };
    socket.on('data', (data: Buffer) => {
      if (!answered) sentBeforeResponse = progress.sent;
      answered = true;
      received = Buffer.concat([received, data]);
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(parseHead(text.slice(0, end)).headers['content-length'] ?? -1);
      if (length >= 0 && received.length >= end + 4 + length) finish();
    });
    socket.on('close', () => finish());
    socket.on('error', () => finish());
    socket.on('connect', () => {
      const headers: Record<string, string> = { host: url.host, ...request.headers };
      const [prefix, suffix] = request.wrap ?? ['', ''];
      const total = prefix.length + request.bodyBytes + suffix.length;
      if (request.chunked) headers['transfer-encoding'] = 'chunked';
      else if (!('content-length' in headers) && Number.isFinite(total))
        headers['content-length'] = String(total);
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`${request.method} ${request.path} HTTP/1.1\r\n${head.join('')}\r\n`);
      writeBody(socket, request, progress).catch(() => {});
    });
  });
}
