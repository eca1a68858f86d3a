/**
 * Request-body limits, enforced while the body is read rather than after it is buffered: a declared
 * Content-Length over the limit is refused before a byte is read, and a body of unknown length
 * (chunked) is counted as it streams and abandoned the moment it passes the limit. Both `/trpc` and
 * the REST bridge read their bodies through `readBodyWithin`.
 *
 * | limit   | bytes  | for                                                                        |
 * | ------- | ------ | -------------------------------------------------------------------------- |
 * | default | 1 MiB  | every call and batch of calls (a maximal `predictions.submit`, 60 entries, |
 * |         |        | is about 15 KiB of JSON, so a batch of ~70 of them still fits)             |
 * | bulk    | 32 MiB | `predictions.submitBulk` by an authenticated caller (5,000 races × 20      |
 * |         |        | drivers, every optional field set, is about 15 MiB)                        |
 *
 * Bun.serve's `maxRequestBodySize` (main.ts) is the outer bound for everything else.
 */

/** The body-limit preset a procedure may set as `meta.bodyLimit` (absent: `default`). */
export type BodyLimitPreset = 'default' | 'bulk';

export const BODY_LIMITS: Record<BodyLimitPreset, number> = {
  default: 1024 * 1024,
  bulk: 32 * 1024 * 1024,
};

/**
 * The limit for a procedure's preset. The bulk limit is only for an authenticated caller (the procedure
 * requires one anyway), so an anonymous client can never make the server hold more than the default.
 */
export function bodyLimitOf(preset: BodyLimitPreset | undefined, authenticated: boolean): number {
  return authenticated ? BODY_LIMITS[preset ?? 'default'] : BODY_LIMITS.default;
}

/**
 * Bun's own cap, the backstop for any route that reads a body without a limit: past it Bun answers a
 * bare 413 itself. Well above the limits here, so a body over one of them still gets this server's 413
 * (with its error shape, naming the limit) — which is sent without reading the body, whatever its size.
 */
export const MAX_REQUEST_BODY_BYTES = 128 * 1024 * 1024;

/** The body is (or declares itself) larger than `limit` bytes. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`request body over the limit of ${limit} bytes (${describeBytes(limit)})`);
  }
}

/** `1 MiB`, `32 MiB`, `512 bytes`. */
export function describeBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (Number.isInteger(mib)) return `${mib} MiB`;
  const kib = bytes / 1024;
  return Number.isInteger(kib) ? `${kib} KiB` : `${bytes} bytes`;
}

/** The declared Content-Length, or null when absent or not a plain decimal number. */
function declaredLength(headers: Headers): number | null {
  const value = headers.get('content-length')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * Whether an answer sent with the body unread should close the connection: yes when the body has a
 * declared length (Bun then never reads it). The rest of a body of unknown length (chunked) is left
 * for Bun to read and discard, keeping the connection usable: answering `Connection: close` while a
 * chunked body is still arriving loses the answer (Bun 1.4 sends nothing and the client hangs).
 */
export function closeUnread(request: Request): boolean {
  return (declaredLength(request.headers) ?? 0) > 0;
}

/**
 * Reads what is left of a refused body and drops it, in the background. Bun 1.4 does not send the
 * answer while a request body it is still receiving is neither read nor finished (cancelling the
 * stream or answering `Connection: close` does not help): the client would wait forever.
 */
async function discardRest(reader: { read(): Promise<{ done: boolean }> }): Promise<void> {
  try {
    while (!(await reader.read()).done) {}
  } catch {
    // The client went away: nothing left to discard.
  }
}

/**
 * Reads the whole body (empty when there is none), refusing with `BodyTooLargeError` as soon as it is
 * known to be over `limit`: from Content-Length before reading, else after the chunk that passes it
 * (the rest is read and dropped, never held).
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const declared = declaredLength(request.headers);
  if (declared !== null && declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void discardRest(reader);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * The same request with its body read under `limit` and held in memory, for a handler (tRPC's fetch
 * adapter) that would otherwise read the original without a limit.
 */
export async function withBodyWithin(request: Request, limit: number): Promise<Request> {
  const body = await readBodyWithin(request, limit);
  const headers = new Headers(request.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(body.byteLength));
  return new Request(request.url, {
    method: request.method,
    headers,
    body: body.byteLength ? body : null,
    signal: request.signal,
  });
}
