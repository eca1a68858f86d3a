/**
 * The HTTP pipeline for `/trpc/*`:
 *
 * 1. An anonymous GET is looked up in the response cache (in-process LRU, then Redis). A hit passes the
 *    rate-limit gate and is answered with the cached bytes and headers — or 304 on a matching
 *    If-None-Match — without entering tRPC.
 * 2. A request that may carry a body is rate-limited, then has its body read under its limit, before
 *    tRPC sees it (trpc-intake.ts): a refused client's body is never read, an oversized one never held.
 * 3. Everything else goes through tRPC (`handleTrpc`). A public (edge-cacheable) answer gets an ETag over
 *    its bytes, a 304 when the client already has it, and is stored in the response cache with the tag
 *    versions its reads depended on.
 */
import { RequestTrace } from '../cache/request-trace.ts';
import type { CachedResponse } from '../cache/response-cache.ts';
import type { Services } from '../services.ts';
import { appRouter } from '../trpc/router.ts';
import {
  cacheableProcedures,
  etagMatches,
  etagOf,
  isAuthenticated,
  isPublic,
  notModified,
} from './edge-cache.ts';
import { fastPathRateLimit } from './rate-limit-gate.ts';
import { handleTrpc, type RequestInfo, TRPC_ENDPOINT } from './trpc.ts';
import { intake } from './trpc-intake.ts';

/** Headers that belong to one request, never to a stored response. */
const PER_REQUEST = /^(x-)?ratelimit|^retry-after$|^x-request-id$|^date$/;

const CACHEABLE = cacheableProcedures(appRouter._def.procedures);
const PREFIX = `${TRPC_ENDPOINT}/`;

/**
 * The response-cache key of an anonymous, non-streamed GET (its path and query: the host does not
 * change the answer), or null when some procedure it calls is not cacheable, so such requests never
 * pay a lookup.
 */
export function responseKey(request: Request): string | null {
  // `trpc-accept` asks for a streamed (JSONL) answer: never the cached JSON bytes.
  if (request.method !== 'GET' || isAuthenticated(request) || request.headers.has('trpc-accept'))
    return null;
  const { url } = request;
  const key = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  if (!key.startsWith(PREFIX)) return null;
  const query = key.indexOf('?');
  const paths = key.slice(PREFIX.length, query < 0 ? undefined : query);
  for (const path of paths.split(',')) if (!CACHEABLE.has(path)) return null;
  return key;
}

function replay(entry: CachedResponse, request: Request, extra: [string, string][]): Response {
  if (etagMatches(request.headers.get('if-none-match'), entry.etag))
    return notModified(entry.headers);
  entry.prebuiltHeaders ??= new Headers(entry.headers);
  const response = new Response(entry.body, { status: 200, headers: entry.prebuiltHeaders });
  for (const [name, value] of extra) response.headers.set(name, value);
  return response;
}

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2). tRPC itself answers every HEAD 204, even on a
 * mutation (where every other wrong method is a 405); run it as the GET it stands for instead, so a
 * query answers its GET's status and headers and a mutation its GET's 405.
 */
async function serveHead(services: Services, info: RequestInfo): Promise<Response> {
  const { request } = info;
  const asGet = new Request(request.url, { headers: request.headers, signal: request.signal });
  const response = await serveTrpc(services, { ...info, request: asGet });
  await response.body?.cancel();
  return new Response(null, { status: response.status, headers: response.headers });
}

export async function serveTrpc(services: Services, info: RequestInfo): Promise<Response> {
  const { request } = info;
  if (request.method === 'HEAD') return serveHead(services, info);
  const responses = services.cache.responses;
  const key = responseKey(request);

  if (key !== null && responses.usable) {
    const entry = responses.local(key) ?? (await responses.shared(key));
    if (entry) {
      const gate = await fastPathRateLimit(services, info);
      return gate instanceof Response ? gate : replay(entry, request, gate);
    }
  }

  const epoch = responses.epoch;
  const trace = new RequestTrace();
  const admitted = await intake(services, { ...info, endpoint: TRPC_ENDPOINT });
  if (admitted instanceof Response) return admitted;
  const response = await handleTrpc(services, { ...info, ...admitted }, trace);
  if (!isPublic(response.headers.get('cache-control'))) return response;

  const body = new Uint8Array(await response.arrayBuffer());
  const etag = etagOf(body);
  const headers = new Headers(response.headers);
  headers.set('etag', etag);
  const pairs = [...headers];
  if (key !== null && responses.usable && !headers.has('set-cookie')) {
    const stored = pairs.filter(([name]) => !PER_REQUEST.test(name));
    await responses.store(key, { body, headers: stored, etag }, { trace, epoch });
  }
  if (etagMatches(request.headers.get('if-none-match'), etag)) return notModified(pairs);
  return new Response(body, { status: response.status, headers });
}
