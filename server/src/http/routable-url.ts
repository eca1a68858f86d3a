/**
 * Why some requests need their URL rewritten before Elysia routes them.
 *
 * Elysia finds a request's path with `url.indexOf('/', 11)` (its `handler.standardHostname` default:
 * it assumes every URL is at least `http://a.bc`, 11 characters, and skips them). With a `Host`
 * header shorter than 4 characters that search starts inside the path: `http://x/zz/health` is routed
 * as `/health`. Bun also hands over a bare path (`/zz/health`) when a request has no usable Host (an
 * HTTP/1.0 health check, `Host:` empty or invalid), which the same search misreads and `new URL()`
 * refuses. `standardHostname: false` would search from index 7 instead, which breaks every `https://`
 * URL, so the app rewrites the few URLs Elysia would misread and leaves all others alone.
 *
 * The rewritten URL names `localhost` as its host; the `Host` header itself is left as sent (the
 * app never routes or links by host).
 */

/** Where Elysia starts looking for the path's `/`. */
const ELYSIA_PATH_SEARCH_START = 11;

const ABSOLUTE = /^[a-z][a-z\d+.-]*:\/\//i;

/** The URL Elysia should route `url` by, or null when it already routes `url` right. */
export function routableUrl(url: string): string | null {
  if (!ABSOLUTE.test(url)) return `http://localhost${url.startsWith('/') ? '' : '/'}${url}`;
  const authority = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', authority);
  if (pathStart === -1 || pathStart >= ELYSIA_PATH_SEARCH_START) return null;
  return `${url.slice(0, authority)}localhost${url.slice(pathStart)}`;
}

/**
 * Rewrites `request.url` in place when Elysia would misroute it. The same object is kept, not a copy:
 * Bun's `server.requestIP(request)` only knows the peer of the request object it created.
 */
export function makeRoutable(request: Request): boolean {
  const url = routableUrl(request.url);
  if (url === null) return false;
  Object.defineProperty(request, 'url', { value: url, configurable: true });
  return true;
}
