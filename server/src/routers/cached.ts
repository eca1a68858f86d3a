/** The one way procedures read through the query cache (and record what the response depends on). */
import type { CacheSpec } from '../cache/query-cache.ts';
import { traceOf } from '../cache/request-trace.ts';
import type { Services } from '../services.ts';

interface CacheContext {
  services: Services;
  resHeaders: Headers | null;
}

export function cached<T>(
  ctx: CacheContext,
  spec: CacheSpec<T>,
  load: () => Promise<T>,
): Promise<T> {
  return ctx.services.cache.query.get(spec, load, traceOf(ctx.resHeaders));
}

/** `name:{"a":1,"b":2}` with keys sorted and undefined members left out: equal inputs, equal keys. */
export function cacheKey(name: string, input: Record<string, unknown> | undefined): string {
  if (!input) return name;
  const entries = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? `${name}:${JSON.stringify(Object.fromEntries(entries))}` : name;
}
