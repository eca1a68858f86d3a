/**
 * The security headers of every answer, added at the edge (edge-headers.ts) — errors, 304s, cached
 * replays and the docs pages' assets included:
 *
 * - `X-Content-Type-Options: nosniff`: a browser takes our JSON (and the docs' scripts) as their
 *   declared type, never sniffs one into script or HTML.
 * - `Referrer-Policy: no-referrer`: an API has no use for the Referer, and event-stream URLs carry a
 *   subscription's credentials in the query (tRPC's connectionParams), so a URL of ours never travels
 *   onward; the docs pages only fetch from this server and need none.
 * - `Strict-Transport-Security: max-age=…` (F1_HSTS_MAX_AGE; a year by default in production), only on
 *   an answer to a request that arrived over TLS — here, or at a trusted proxy (F1_TRUSTED_PROXIES)
 *   that said so in `X-Forwarded-Proto`. Browsers ignore it over plain HTTP, and saying it there
 *   would claim a promise the server cannot check.
 *
 * A header the route set itself is kept (the docs pages set their own CSP and nosniff).
 */

export interface SecurityHeadersOptions {
  /** HSTS max-age in seconds, or null: never sent. */
  hstsMaxAgeSeconds: number | null;
  /** Reverse proxies whose forwarding headers are trusted (as for the client IP, auth/client-ip.ts). */
  trustedProxies: number;
}

export const REFERRER_POLICY = 'no-referrer';

/**
 * Whether the request reached us over TLS: an `https:` URL (Bun serving TLS), or behind trusted
 * proxies the `X-Forwarded-Proto` entry the outermost of them wrote (each proxy may append one; entries
 * further left came from the client).
 */
export function arrivedOverTls(request: Request, trustedProxies: number): boolean {
  if (request.url.startsWith('https:')) return true;
  if (trustedProxies === 0) return false;
  const entries = (request.headers.get('x-forwarded-proto') ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  if (entries.length === 0) return false;
  return entries[Math.max(0, entries.length - trustedProxies)] === 'https';
}

export function applySecurityHeaders(
  request: Request,
  headers: Headers,
  options: SecurityHeadersOptions,
): void {
  if (!headers.has('x-content-type-options')) headers.set('x-content-type-options', 'nosniff');
  if (!headers.has('referrer-policy')) headers.set('referrer-policy', REFERRER_POLICY);
  if (
    options.hstsMaxAgeSeconds !== null &&
    !headers.has('strict-transport-security') &&
    arrivedOverTls(request, options.trustedProxies)
  )
    headers.set('strict-transport-security', `max-age=${options.hstsMaxAgeSeconds}`);
}
