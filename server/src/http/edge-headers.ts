/**
 * The headers every answer leaves with, whichever part of the app made it: CORS (cors.ts) and the
 * security headers (security-headers.ts). Added per request as the answer leaves, never stored in the
 * response cache (public-get.ts stores what the route computed; a replay gets them afresh here).
 *
 * Hooked in with Elysia's `wrap` (a function around the app's whole fetch handler), the one place that
 * sees every response: `mapResponse` misses the router's 404 and answers returned by `onRequest`
 * hooks, and `set.headers` would make Elysia copy every Response and re-stream chunked ones. A CORS
 * preflight is answered here too, before any hook or route (so no OPTIONS reaches the routes' 405s).
 */
import type { Config } from '@f1/core/config';
import { CorsPolicy } from './cors.ts';
import { applySecurityHeaders } from './security-headers.ts';

type Handle = (...args: unknown[]) => unknown;

export type EdgeHeadersConfig = Pick<
  Config,
  'corsOrigins' | 'hstsMaxAgeSeconds' | 'trustedProxies'
>;

/** What a request id may be when a caller sends one: 1–128 visible ASCII characters. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Gives the request its id (`X-Request-Id`), which the request context reads and the answer is sent
 * with: the caller's own, for correlating its logs with ours, or a fresh one when it sent none (or
 * one that is not a plain token).
 */
export function adoptRequestId(request: Request): string {
  const sent = request.headers.get('x-request-id');
  if (sent && REQUEST_ID.test(sent)) return sent;
  const id = crypto.randomUUID();
  try {
    request.headers.set('x-request-id', id);
  } catch {
    // Immutable request headers: the answer still carries the id.
  }
  return id;
}

/** The wrapper for `app.wrap(…)`: `(handle, request) => handler of that request`. */
export function edgeHeaders(config: EdgeHeadersConfig) {
  const cors = new CorsPolicy(config.corsOrigins);
  const security = {
    hstsMaxAgeSeconds: config.hstsMaxAgeSeconds,
    trustedProxies: config.trustedProxies,
  };

  const decorate = (request: Request, headers: Headers, id: string, preflight: boolean) => {
    if (!preflight) cors.apply(request, headers);
    applySecurityHeaders(request, headers, security);
    if (!headers.has('x-request-id')) headers.set('x-request-id', id);
  };
  const finish = (request: Request, id: string, answer: unknown, preflight = false): unknown => {
    if (!(answer instanceof Response)) return answer;
    let response = answer;
    try {
      decorate(request, response.headers, id, preflight);
    } catch {
      // Immutable headers (a Response from fetch()): the same answer with headers of its own.
      response = new Response(answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: new Headers(answer.headers),
      });
      decorate(request, response.headers, id, preflight);
    }
    return response;
  };

  return (handle: Handle, request: Request) =>
    (...args: unknown[]): unknown => {
      const id = adoptRequestId(request);
      if (cors.isPreflight(request)) return finish(request, id, cors.preflight(request), true);
      const answer = handle(...args);
      return answer instanceof Promise
        ? answer.then((settled) => finish(request, id, settled))
        : finish(request, id, answer);
    };
}
