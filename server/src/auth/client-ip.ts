/**
 * The client IP used for per-IP rate limits and the audit log. Behind `F1_TRUSTED_PROXIES` reverse
 * proxies, each proxy appends the address it received the request from to `X-Forwarded-For`, so the
 * client is that many entries from the right (counting the socket peer as the last entry). Entries
 * further left were written by the client and are never trusted.
 */
export function resolveClientIp(
  headers: Headers,
  socketIp: string | null,
  trustedProxies: number,
): string | null {
  if (trustedProxies === 0) return normalize(socketIp);
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = socketIp ? [...forwarded, socketIp] : forwarded;
  return normalize(chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? socketIp);
}

/** IPv4 clients on a dual-stack socket arrive as `::ffff:a.b.c.d`; count them as `a.b.c.d`. */
function normalize(ip: string | null): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
