/**
 * The `route` label of a request: bounded by what the app serves, never the raw URL (ids, seasons and
 * filters would make a series per value).
 *
 * | request                          | label                              |
 * | -------------------------------- | ---------------------------------- |
 * | /trpc/races.list                 | `trpc races.list` (known procedures only) |
 * | /trpc/a,b (a batch)              | `trpc batch`                       |
 * | /api/v1/drivers/1                | `rest GET /api/v1/drivers/:driverId` (the matched route) |
 * | /ergast/f1/2024/5/results.json   | `ergast results` (the endpoint family) |
 * | /health, /api/docs, /metrics …   | the matched route                  |
 * | anything else                    | `unmatched` (`trpc unmatched`, `ergast unmatched`, …) |
 */
import { parseErgastPath } from '../ergast/query.ts';
import { API_V1 } from '../openapi/document.ts';

export const UNMATCHED = 'unmatched';
const TRPC_ROUTE = '/trpc/*';
const TRPC_PREFIX = '/trpc/';
const ERGAST_ROUTES = new Map([
  ['/ergast/f1/*', '/ergast/f1'],
  ['/api/f1/*', '/api/f1'],
]);
const REST_CATCH_ALL = `${API_V1}/*`;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Each procedure's label, built once (no string is built per request). */
export function procedureLabels(procedures: Iterable<string>): ReadonlyMap<string, string> {
  return new Map([...procedures].map((path) => [path, `trpc ${path}`]));
}

function trpcLabel(path: string, procedures: ReadonlyMap<string, string>): string {
  const called = path.slice(TRPC_PREFIX.length);
  if (called.includes(',')) return 'trpc batch';
  return procedures.get(called) ?? `trpc ${UNMATCHED}`;
}

function ergastLabel(path: string, prefix: string): string {
  try {
    return `ergast ${parseErgastPath(path.slice(prefix.length)).endpoint}`;
  } catch {
    return `ergast ${UNMATCHED}`;
  }
}

/**
 * The label of a request Elysia matched to `route` (its pattern, e.g. `/api/v1/drivers/:driverId`)
 * with its method and path (Elysia's, without the query); `procedures` are the labels of the tRPC
 * procedures the router has (`procedureLabels`).
 */
export function routeLabel(
  route: string | null | undefined,
  request: { method: string; path: string },
  procedures: ReadonlyMap<string, string>,
): string {
  if (!route) return UNMATCHED;
  if (route === TRPC_ROUTE) return trpcLabel(request.path, procedures);
  const ergastPrefix = ERGAST_ROUTES.get(route);
  if (ergastPrefix) return ergastLabel(request.path, ergastPrefix);
  if (route === REST_CATCH_ALL) return `rest ${UNMATCHED}`;
  if (route.startsWith(`${API_V1}/`)) {
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    return `rest ${method} ${route}`;
  }
  return route;
}
