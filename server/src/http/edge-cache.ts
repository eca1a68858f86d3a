/**
 * Edge-cache policy for tRPC responses (`responseMeta`), and the ETag/304 helpers the HTTP pipeline uses.
 *
 * An answer is shareable only when it is a GET of queries that are all public (`access: 'public'`),
 * all declare `meta.cache` and all succeeded; its lifetime is the strictest of the calls'. The caller
 * does not change such an answer, so a principal's is shareable too (the responder, public-get.ts,
 * stores it and sends that caller `private` instead); a request whose credentials were refused is not.
 * Everything else (mutations, errors, streamed batches) is `no-store`.
 */
import type { AnyProcedure } from '@trpc/server';
import type { Meta } from '../trpc/init.ts';

export const NO_STORE = 'no-store';

/** A request carrying credentials may get a per-principal answer (and per-principal headers). */
export function isAuthenticated(request: Request): boolean {
  return request.headers.has('authorization') || request.headers.has('x-api-key');
}

interface MetaInput {
  info: { calls: { procedure: AnyProcedure | null }[] } | undefined;
  type: string;
  errors: readonly unknown[];
  eagerGeneration: boolean;
  /** The call's context: with credentials, the answer is shareable only once they were accepted. */
  ctx?: { principal: unknown } | undefined;
}

/** The edge-cache policy of a procedure, when it may be shared: public access and `meta.cache`. */
function sharedPolicy(meta: Meta | undefined): Meta['cache'] {
  return meta?.access === 'public' ? meta.cache : undefined;
}

export function cacheControlFor(request: Request, meta: MetaInput): string {
  const { info, type, errors, eagerGeneration } = meta;
  if (request.method !== 'GET' || type !== 'query' || errors.length > 0 || eagerGeneration)
    return NO_STORE;
  if (!info || info.calls.length === 0) return NO_STORE;
  if (isAuthenticated(request) && !meta.ctx?.principal) return NO_STORE;
  let sMaxAge = Number.POSITIVE_INFINITY;
  let swr = Number.POSITIVE_INFINITY;
  for (const call of info.calls) {
    const policy = sharedPolicy(call.procedure?._def.meta as Meta | undefined);
    if (!policy) return NO_STORE;
    sMaxAge = Math.min(sMaxAge, policy.sMaxAge);
    swr = Math.min(swr, policy.staleWhileRevalidate ?? 0);
  }
  return `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=${swr}`;
}

/** The paths (`standings.drivers`) of a router's public procedures that declare an edge-cache policy. */
export function cacheableProcedures(procedures: Record<string, unknown>): ReadonlySet<string> {
  const paths = new Set<string>();
  for (const [path, procedure] of Object.entries(procedures)) {
    const meta = (procedure as { _def?: { meta?: Meta } })._def?.meta;
    if (sharedPolicy(meta)) paths.add(path);
  }
  return paths;
}

export function isPublic(cacheControl: string | null): boolean {
  return cacheControl?.startsWith('public') ?? false;
}

/** A weak validator over the exact bytes (weak: a proxy may re-encode the body). */
export function etagOf(body: Uint8Array): string {
  return `W/"${Bun.hash(body).toString(36)}"`;
}

/** RFC 9110 weak comparison of an If-None-Match list against our ETag. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** The headers a 304 must repeat from the 200 it stands for. */
const NOT_MODIFIED_HEADERS = new Set([
  'cache-control',
  'etag',
  'vary',
  'expires',
  'content-location',
]);

export function notModified(headers: Iterable<[string, string]>): Response {
  const kept: [string, string][] = [];
  for (const [name, value] of headers) if (NOT_MODIFIED_HEADERS.has(name)) kept.push([name, value]);
  return new Response(null, { status: 304, headers: kept });
}

/**
 * Adds `names` to the Vary header, each once beside whatever else it names (`Origin, Accept-Encoding`):
 * every layer that varies an answer (compression, CORS) adds its header this way, never with `set`.
 */
export function addVary(headers: Headers, ...names: string[]): void {
  const current = headers.get('vary');
  if (!current) {
    headers.set('vary', names.join(', '));
    return;
  }
  const listed = current.split(',').map((name) => name.trim().toLowerCase());
  if (listed.includes('*')) return;
  const missing = names.filter((name) => !listed.includes(name.toLowerCase()));
  if (missing.length > 0) headers.set('vary', [current, ...missing].join(', '));
}
