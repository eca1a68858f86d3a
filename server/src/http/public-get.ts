/**
 * The one responder for answers that may be public: tRPC (`/trpc`, pipeline.ts) and REST (`/api/v1`,
 * openapi/rest-routes.ts) both hand it their request and how to compute the answer.
 *
 * 1. A request with a response-cache key (a GET of cacheable procedures) is looked up in the response
 *    cache (in-process LRU, then Redis). A request with credentials is authenticated first (API keys:
 *    auth/api-key-cache.ts); refused credentials never get a cached answer — the procedure answers them
 *    as it always has. A hit passes the caller's rate-limit gate (per principal, or per IP when
 *    anonymous) and is answered with the cached bytes and headers — or 304 on a matching
 *    If-None-Match — without computing anything. Queries are not audited, so a hit skips no audit row.
 * 2. Otherwise the answer is computed with a fresh RequestTrace (which records the cache tags and
 *    versions its reads depended on). A public answer (`cache-control: public…`, edge-cache.ts) gets an
 *    ETag over its bytes, a 304 when the client already has it, and — when it has a key — is stored in
 *    the response cache under those tags, so the same invalidations drop it. A principal's answer to
 *    a public procedure is the anonymous one, byte for byte: it is stored the same way.
 * A caller with credentials gets `cache-control: private, max-age=0` instead of the public policy
 * (the bytes are shared, the permission to cache them in a shared cache is not). Anything else
 * (errors, mutations, refused credentials) is passed through as computed.
 *
 * Compression (compression.ts): an answer of at least 1 KiB of JSON goes br or gzip as the client
 * accepts; a cache entry keeps each encoding it was asked for, so a hit never compresses. Streamed
 * answers (`trpc-accept`, SSE) are never buffered.
 *
 * HEAD is GET without the body (RFC 9110 §9.3.2): it is answered as its GET, body dropped, with the
 * GET's Content-Length.
 */
import { knownApiKeyPrincipal } from '../auth/authenticate.ts';
import { authenticateRequest, type RequestAuth } from '../auth/request-context.ts';
import { RequestTrace } from '../cache/request-trace.ts';
import type { CachedResponse, CachedVariant, ResponseCache } from '../cache/response-cache.ts';
import type { HttpGateResult } from '../rate-limit/http-gate.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import {
  COMPRESS_MIN_BYTES,
  compress,
  type Encoding,
  encodedHeaders,
  negotiateEncoding,
  shouldCompress,
} from './compression.ts';
import { etagMatches, etagOf, isAuthenticated, isPublic, notModified } from './edge-cache.ts';

/** Headers that belong to one request, never to a stored response. */
const PER_REQUEST = /^(x-)?ratelimit|^retry-after$|^x-request-id$|^date$/;

/** What a caller with credentials may do with a public answer: keep it for itself, revalidated. */
export const PRIVATE_CACHE_CONTROL = 'private, max-age=0';

export interface PublicGet {
  /**
   * The response-cache key (from `publicGetKey`), or null for a request that is never cached. The key
   * does not depend on credentials: a principal is answered the anonymous bytes.
   */
  key: (request: Request) => string | null;
  /**
   * Counts the rate limit of `principal` (anonymous: the client IP's) for an answer served from the
   * cache: headers to add, or a 429.
   */
  gate: (request: Request, principal: Principal | null) => Promise<HttpGateResult>;
  /**
   * The answer, computed; reads through the query cache record into `trace`. `auth` is the request's
   * credentials when the responder already checked them (so they are checked once).
   */
  compute: (
    request: Request,
    trace: RequestTrace,
    auth?: RequestAuth,
  ) => Promise<Response | Answer>;
}

/** An answer whose bytes are already at hand (REST's JSON): no stream to read back. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/**
 * The response-cache key of a GET: its path and query (neither the host nor the caller changes the
 * answer of a cacheable procedure).
 */
export function publicGetKey(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const { url } = request;
  return url.slice(url.indexOf('/', url.indexOf('//') + 2));
}

/**
 * The way `entry` is sent with `encoding` to a caller with (`personal`) or without credentials, built
 * once: a compressed body is computed on the first request that asks for it and kept in the entry
 * (and, for an entry already cached under `key`, counted in the cache's size budget).
 */
function variantOf(
  entry: CachedResponse,
  encoding: Encoding | null,
  personal: boolean,
  key?: string,
  cache?: ResponseCache,
): CachedVariant {
  const name = `${encoding ?? 'identity'}${personal ? ':private' : ''}`;
  entry.variants ??= {};
  const known = entry.variants[name];
  if (known) return known;
  let variant: CachedVariant;
  if (personal) {
    const shared = variantOf(entry, encoding, false, key, cache);
    const headers = new Headers(shared.headers);
    headers.set('cache-control', PRIVATE_CACHE_CONTROL);
    variant = { body: shared.body, headers, etag: shared.etag };
  } else {
    const headers = new Headers(entry.headers);
    const compressible = shouldCompress(200, headers, entry.body.byteLength);
    const chosen = compressible ? encoding : null;
    if (chosen !== encoding) {
      variant = variantOf(entry, null, false, key, cache); // not worth compressing: every encoding is identity
    } else {
      if (compressible) encodedHeaders(headers, chosen);
      const body = chosen ? compress(entry.body, chosen) : entry.body;
      if (chosen && key !== undefined) cache?.variantAdded(key, entry, body.byteLength);
      variant = { body, headers, etag: headers.get('etag') ?? entry.etag };
    }
  }
  entry.variants[name] = variant;
  return variant;
}

function send(
  entry: CachedResponse,
  request: Request,
  personal: boolean,
  extra: Iterable<[string, string]>,
  key?: string,
  cache?: ResponseCache,
): Response {
  const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
  const variant = variantOf(entry, encoding, personal, key, cache);
  if (etagMatches(request.headers.get('if-none-match'), variant.etag))
    return notModified(variant.headers);
  const response = new Response(variant.body, { status: 200, headers: variant.headers });
  for (const [name, value] of extra) response.headers.set(name, value);
  return response;
}

const isEventStream = (headers: Headers) =>
  (headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');

/** A HEAD as the GET it stands for (same URL, headers and signal). */
export function asGet(request: Request): Request {
  return new Request(request.url, { headers: request.headers, signal: request.signal });
}

/** The request's credentials, checked; undefined when checking failed unexpectedly (the database). */
async function checkCredentials(
  services: Services,
  request: Request,
): Promise<RequestAuth | undefined> {
  try {
    return await authenticateRequest(services, request.headers);
  } catch {
    return undefined; // the procedure's own context fails the request the usual way
  }
}

export async function respondPublic(
  services: Services,
  request: Request,
  spec: PublicGet,
): Promise<Response> {
  if (request.method === 'HEAD') {
    const response = await respondPublic(services, asGet(request), spec);
    const headers = new Headers(response.headers);
    if (isEventStream(headers)) {
      // A subscription's stream never ends: reading it would hold the HEAD (and the subscription)
      // open until the client gave up. Its headers are the answer; the stream is cancelled.
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers });
    }
    // The GET's length, as RFC 9110 §8.6 asks of a HEAD that gives one (Bun would say 0 otherwise).
    const length = response.body ? (await response.arrayBuffer()).byteLength : 0;
    if (response.status !== 304) headers.set('content-length', String(length));
    return new Response(null, { status: response.status, headers });
  }
  const responses = services.cache.responses;
  const key = spec.key(request);
  const personal = isAuthenticated(request);
  let auth: RequestAuth | undefined;
  if (key !== null && responses.usable) {
    if (personal) {
      // A key verified moments ago costs no promise (the hot path of an ML client's reads).
      const known = knownApiKeyPrincipal(services, request.headers);
      auth = known
        ? { principal: known, authError: null }
        : await checkCredentials(services, request);
    }
    // Refused credentials are never answered from the cache: the procedure answers them.
    if (!personal || auth?.principal) {
      const entry = responses.local(key) ?? (await responses.shared(key));
      if (entry) {
        const gate = await spec.gate(request, auth?.principal ?? null);
        return gate instanceof Response
          ? gate
          : send(entry, request, personal, gate, key, responses);
      }
    }
  }

  const epoch = responses.epoch;
  const trace = new RequestTrace();
  const answer = await spec.compute(request, trace, auth);
  if (!isPublic(answer.headers.get('cache-control'))) return compressed(request, answer);

  const body =
    answer instanceof Response ? new Uint8Array(await answer.arrayBuffer()) : answer.body;
  const kept: [string, string][] = [];
  const extra: [string, string][] = [];
  for (const header of answer.headers) (PER_REQUEST.test(header[0]) ? extra : kept).push(header);
  const etag = etagOf(body);
  kept.push(['etag', etag]);
  const entry: CachedResponse = { body, headers: kept, etag, tags: new Set() };
  // The entry keeps the variant this request is sent: the next request for it compresses nothing.
  const response = send(entry, request, personal, extra);
  if (key !== null && responses.usable && !answer.headers.has('set-cookie'))
    await responses.store(key, entry, { trace, epoch });
  return response;
}

/**
 * A non-public answer (an error, a mutation's result), compressed when it is large JSON the client
 * accepts compressed. A stream (`trpc-accept: application/jsonl`, SSE) goes as it is, unread.
 */
async function compressed(request: Request, answer: Response | Answer): Promise<Response> {
  const { status, headers } = answer;
  // Type and status first: only a buffered JSON (or text) answer is read back.
  if (request.headers.has('trpc-accept') || !shouldCompress(status, headers, Infinity))
    return answer instanceof Response ? answer : new Response(answer.body, { status, headers });
  const body =
    answer instanceof Response ? new Uint8Array(await answer.arrayBuffer()) : answer.body;
  if (body.byteLength < COMPRESS_MIN_BYTES) return new Response(body, { status, headers });
  const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
  encodedHeaders(headers, encoding);
  return new Response(encoding ? compress(body, encoding) : body, { status, headers });
}
