/**
 * CORS for browser callers (F1_CORS_ORIGINS), added at the edge to every answer (edge-headers.ts), never
 * stored with a cached one: the headers depend on the request's Origin.
 *
 * - `'*'`: any page may read; `Access-Control-Allow-Origin: *` and never credentials. The API
 *   authenticates by header (Bearer token, X-API-Key), not cookies, so a page can send only credentials
 *   it already holds.
 * - a list: a listed origin is echoed with `Access-Control-Allow-Credentials: true`; every answer then
 *   says `Vary: Origin`, since it differs by origin (a shared cache must not hand one origin's answer to
 *   another). An origin not listed gets no allow headers, so the browser withholds the answer.
 * - none (an empty list): no CORS headers, and OPTIONS is routed as any other method.
 *
 * A preflight (`OPTIONS` with Origin and Access-Control-Request-Method) is answered 204 before routing,
 * cached by the browser for PREFLIGHT_MAX_AGE seconds. From an origin that may not call, it is still 204,
 * without allow headers: the browser then refuses the call itself, and the server says no more than it
 * does to the actual request (no 403 body for a script to read either way).
 */
import { addVary } from './edge-cache.ts';

/** The methods the API answers (REST's GET/POST/PUT/PATCH/DELETE, tRPC's GET/POST; HEAD is GET). */
export const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * Request headers a page may send: JSON bodies, the credentials (auth/authenticate.ts, the SDK's
 * `authorization` and `x-api-key`), tRPC's streaming `trpc-accept`, a caller's `x-request-id`, a
 * revalidation's `if-none-match`, an event stream's `last-event-id`. Only these are echoed.
 */
export const CORS_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'authorization',
  'x-api-key',
  'trpc-accept',
  'x-request-id',
  'if-none-match',
  'last-event-id',
]);

/** Response headers a page may read beyond the safelisted ones: validators, budgets, the request id. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'Retry-After',
  'X-Request-Id',
].join(', ');

/** Seconds a browser may reuse a preflight (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE = 7200;

export type CorsOrigins = '*' | readonly string[];

export class CorsPolicy {
  readonly #any: boolean;
  readonly #origins: ReadonlySet<string>;

  constructor(origins: CorsOrigins) {
    this.#any = origins === '*';
    this.#origins = new Set(origins === '*' ? [] : origins);
  }

  /** False when CORS is off (F1_CORS_ORIGINS=none): no headers, no preflight answers. */
  get enabled(): boolean {
    return this.#any || this.#origins.size > 0;
  }

  /** A CORS preflight this policy answers (not a plain OPTIONS, not when CORS is off). */
  isPreflight(request: Request): boolean {
    return (
      this.enabled &&
      request.method === 'OPTIONS' &&
      request.headers.has('origin') &&
      request.headers.has('access-control-request-method')
    );
  }

  /** The 204 answer to a preflight. */
  preflight(request: Request): Response {
    const headers = new Headers({
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    });
    if (this.#allow(request.headers.get('origin'), headers)) {
      headers.set('access-control-allow-methods', CORS_METHODS);
      const asked = (request.headers.get('access-control-request-headers') ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => CORS_REQUEST_HEADERS.has(name));
      if (asked.length > 0) headers.set('access-control-allow-headers', asked.join(', '));
      headers.set('access-control-max-age', String(PREFLIGHT_MAX_AGE));
    }
    return new Response(null, { status: 204, headers });
  }

  /** Adds the CORS headers of an actual (non-preflight) answer to `headers`. */
  apply(request: Request, headers: Headers): void {
    if (!this.enabled) return;
    if (!this.#any) addVary(headers, 'Origin');
    if (this.#allow(request.headers.get('origin'), headers))
      headers.set('access-control-expose-headers', CORS_EXPOSED_HEADERS);
  }

  /** Sets the allow-origin (and credentials) headers when `origin` may call; says whether it may. */
  #allow(origin: string | null, headers: Headers): boolean {
    if (this.#any) {
      headers.set('access-control-allow-origin', '*');
      return true;
    }
    if (origin === null || !this.#origins.has(origin)) return false;
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-allow-credentials', 'true');
    return true;
  }
}
