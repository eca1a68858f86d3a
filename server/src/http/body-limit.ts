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
 *
 * A read also has a deadline — the whole body within F1_BODY_READ_TIMEOUT (30 s) for the default
 * limit, F1_BODY_BULK_READ_TIMEOUT (300 s: 32 MiB at ~1 Mbit/s) for bulk — answered 408, where
 * Bun's idle timeout would cut the connection with no answer (`allowBodyTime` in body-budget.ts
 * lengthens that for requests with a body). And the bodies being read share one
 * budget (F1_BODY_BUDGET_MIB, 128 MiB; body-budget.ts). Over either, the request is refused (408 /
 * 503) and, like every answer sent with the body unread, closes the connection (`closeUnread`).
 */
import type { BodyIntake } from './body-budget.ts';

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
 * Whether an answer sent with the body unread should close the connection: yes whenever there is a
 * body (declared or chunked). Otherwise Bun reads and discards the rest itself, for as long as the
 * client keeps sending (4 clients pushed 9.5 GB in 6 s at a refused chunked upload). Bun 1.4.5 sends
 * the answer and then closes; a client still writing may see a reset instead of the answer.
 */
export function closeUnread(request: Request): boolean {
  return (declaredLength(request.headers) ?? 0) > 0 || request.headers.has('transfer-encoding');
}

/**
 * A body sent with a content coding (`Content-Encoding: gzip`, …) is refused 415 before it is read:
 * bodies are read as sent, and a compressed one would otherwise fail as "not valid JSON" — or, worse,
 * a body labelled `br` but sent plain would be taken as it is. Null for none or `identity`.
 */
export function contentCodingRefusal(request: Request): string | null {
  const coding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (!coding || coding === 'identity') return null;
  const named = coding.length > 40 ? `${coding.slice(0, 40)}…` : coding;
  return `content-encoding "${named}" is not accepted: send the body uncompressed`;
}

/** The body did not arrive within its deadline (a slow or stalled upload). */
export class BodyTimeoutError extends Error {
  override readonly name = 'BodyTimeoutError';
  constructor(readonly seconds: number) {
    super(`request body not received within ${seconds} s`);
  }
}

/** Too many body bytes are being buffered at once: try again shortly. */
export class BodyBudgetError extends Error {
  override readonly name = 'BodyBudgetError';
  constructor() {
    super('the server is receiving too many request bodies; try again shortly');
  }
}

type Read = { done: true; value?: undefined } | { done: false; value: Uint8Array };

/** The next chunk, or 'late' once the deadline has passed (the read is then abandoned). */
function readBefore(
  reader: { read(): Promise<Read> },
  late: Promise<'late'>,
): Promise<Read | 'late'> {
  return Promise.race([reader.read(), late]);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
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
 * Reads the whole body (empty when there is none), refusing as soon as it is known to be over
 * `limit` (`BodyTooLargeError`: from Content-Length before reading, else after the chunk that passes
 * it), when it has not all arrived within the intake's deadline (`BodyTimeoutError`), or when the
 * process-wide budget cannot hold it (`BodyBudgetError`: a declared length before reading). The
 * caller answers with `closeUnread` so the rest is never read.
 */
export async function readBodyWithin(
  request: Request,
  limit: number,
  intake?: BodyIntake,
): Promise<Uint8Array> {
  const declared = declaredLength(request.headers);
  if (declared !== null && declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const budget = intake?.budget;
  let reserved = declared ?? 0;
  if (budget && !budget.tryReserve(reserved)) throw new BodyBudgetError();
  const deadlineMs = intake?.deadlineMs(limit) ?? Number.POSITIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    if (Number.isFinite(deadlineMs)) timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const reader: { read(): Promise<Read> } = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const read = await readBefore(reader, late);
      if (read === 'late') throw new BodyTimeoutError(Math.round(deadlineMs / 1000));
      if (read.done) break;
      size += read.value.byteLength;
      if (size > limit) throw new BodyTooLargeError(limit);
      if (budget && size > reserved) {
        if (!budget.tryReserve(size - reserved)) throw new BodyBudgetError();
        reserved = size;
      }
      chunks.push(read.value);
    }
    return concat(chunks, size);
  } finally {
    clearTimeout(timer);
    // The buffered copy is handed on; the budget bounds bytes still arriving, not requests in flight.
    budget?.release(reserved);
  }
}

/**
 * The same request with its body read under `limit` and held in memory, for a handler (tRPC's fetch
 * adapter) that would otherwise read the original without a limit.
 */
export async function withBodyWithin(
  request: Request,
  limit: number,
  intake?: BodyIntake,
): Promise<Request> {
  const body = await readBodyWithin(request, limit, intake);
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
