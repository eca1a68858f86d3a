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

/** The wrapper for `app.wrap(…)`: `(handle, request) => handler of that request`. */
export function edgeHeaders(config: EdgeHeadersConfig) {
  const cors = new CorsPolicy(config.corsOrigins);
  const security = {
    hstsMaxAgeSeconds: config.hstsMaxAgeSeconds,
    trustedProxies: config.trustedProxies,
  };

  const decorate = (request: Request, headers: Headers, preflight: boolean) => {
    if (!preflight) cors.apply(request, headers);
    applySecurityHeaders(request, headers, security);
  };
  const finish = (request: Request, answer: unknown, preflight = false): unknown => {
    if (!(answer instanceof Response)) return answer;
    let response = answer;
    try {
      decorate(request, response.headers, preflight);
    } catch {
      // Immutable headers (a Response from fetch()): the same answer with headers of its own.
      response = new Response(answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: new Headers(answer.headers),
      });
      decorate(request, response.headers, preflight);
    }
    return response;
  };

  return (handle: Handle, request: Request) =>
    (...args: unknown[]): unknown => {
      if (cors.isPreflight(request)) return finish(request, cors.preflight(request), true);
      const answer = handle(...args);
      return answer instanceof Promise
        ? answer.then((settled) => finish(request, settled))
        : finish(request, answer);
    };
}
