/**
 * The one responder for answers that may be public: tRPC (`/trpc`, pipeline.ts) and REST (`/api/v1`,
 * openapi/rest-routes.ts) both hand it their request and how to compute the answer.
 *
 * 1. A request with a response-cache key (an anonymous GET of cacheable procedures) is looked up in the
 *    response cache (in-process LRU, then Redis). A hit passes the caller's rate-limit gate and is
 *    answered with the cached bytes and headers — or 304 on a matching If-None-Match — without
 *    computing anything.
 * 2. Otherwise the answer is computed with a fresh RequestTrace (which records the cache tags and
 *    versions its reads depended on). A public answer (`cache-control: public…`, edge-cache.ts) gets an
 *    ETag over its bytes, a 304 when the client already has it, and — when it has a key — is stored in
 *    the response cache under those tags, so the same invalidations drop it.
 * Anything else (errors, mutations, authenticated calls) is passed through as computed.
 *
 * HEAD is GET without the body (RFC 9110 §9.3.2): it is answered as its GET, body dropped, with the
 * GET's Content-Length.
 */
import { RequestTrace } from '../cache/request-trace.ts';
import type { CachedResponse } from '../cache/response-cache.ts';
import type { HttpGateResult } from '../rate-limit/http-gate.ts';
import type { Services } from '../services.ts';
import { etagMatches, etagOf, isAuthenticated, isPublic, notModified } from './edge-cache.ts';

/** Headers that belong to one request, never to a stored response. */
const PER_REQUEST = /^(x-)?ratelimit|^retry-after$|^x-request-id$|^date$/;

export interface PublicGet {
  /** The response-cache key (from `publicGetKey`), or null for a request that is never cached. */
  key: (request: Request) => string | null;
  /** Counts the caller's rate limit for an answer served from the cache: headers to add, or a 429. */
  gate: (request: Request) => Promise<HttpGateResult>;
  /** The answer, computed; reads through the query cache record into `trace`. */
  compute: (request: Request, trace: RequestTrace) => Promise<Response | Answer>;
}

/** An answer whose bytes are already at hand (REST's JSON): no stream to read back. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

const asResponse = (answer: Answer) =>
  new Response(answer.body, { status: answer.status, headers: answer.headers });

/**
 * The response-cache key of an anonymous GET: its path and query (the host does not change the answer),
 * or null when it carries credentials (the answer may be per principal).
 */
export function publicGetKey(request: Request): string | null {
  if (request.method !== 'GET' || isAuthenticated(request)) return null;
  const { url } = request;
  return url.slice(url.indexOf('/', url.indexOf('//') + 2));
}

function replay(entry: CachedResponse, request: Request, extra: [string, string][]): Response {
  if (etagMatches(request.headers.get('if-none-match'), entry.etag))
    return notModified(entry.headers);
  entry.prebuiltHeaders ??= new Headers(entry.headers);
  const response = new Response(entry.body, { status: 200, headers: entry.prebuiltHeaders });
  for (const [name, value] of extra) response.headers.set(name, value);
  return response;
}

const isEventStream = (headers: Headers) =>
  (headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');

/** A HEAD as the GET it stands for (same URL, headers and signal). */
export function asGet(request: Request): Request {
  return new Request(request.url, { headers: request.headers, signal: request.signal });
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
  if (key !== null && responses.usable) {
    const entry = responses.local(key) ?? (await responses.shared(key));
    if (entry) {
      const gate = await spec.gate(request);
      return gate instanceof Response ? gate : replay(entry, request, gate);
    }
  }

  const epoch = responses.epoch;
  const trace = new RequestTrace();
  const answer = await spec.compute(request, trace);
  if (!isPublic(answer.headers.get('cache-control')))
    return answer instanceof Response ? answer : asResponse(answer);

  const body =
    answer instanceof Response ? new Uint8Array(await answer.arrayBuffer()) : answer.body;
  const etag = etagOf(body);
  // The computed answer's own headers (a constructed Response's are mutable): no copy on this path.
  const { headers } = answer;
  headers.set('etag', etag);
  if (key !== null && responses.usable && !headers.has('set-cookie')) {
    const stored = [...headers].filter(([name]) => !PER_REQUEST.test(name));
    await responses.store(key, { body, headers: stored, etag }, { trace, epoch });
  }
  if (etagMatches(request.headers.get('if-none-match'), etag)) return notModified(headers);
  return new Response(body, { status: answer.status, headers });
}
