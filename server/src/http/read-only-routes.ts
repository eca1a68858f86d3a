/**
 * Every other method on a path that only reads is a 405 with `Allow: GET, HEAD`, in the REST error
 * shape — as under /api/v1, /trpc and /ergast — rather than the 404 of a path that does not exist.
 */
import type { AnyElysia } from 'elysia';
import { jsonError } from '../openapi/errors.ts';

export const READ_METHODS = 'GET, HEAD';

/** The 405 for a read-only path. */
export function readOnlyRefusal(request: Request): Response {
  const refused = jsonError(405, {
    code: 'METHOD_NOT_SUPPORTED',
    message: `${new URL(request.url).pathname} supports ${READ_METHODS}`,
  });
  refused.headers.set('allow', READ_METHODS);
  return refused;
}

/**
 * Gives each GET route of `app` that has no route of its own for every method (REST's per-path 405,
 * the /trpc and /ergast catch-alls) one answering the other methods 405. Call once the routes exist.
 */
export function refuseOtherMethods(app: AnyElysia): void {
  const handled = new Set(app.routes.filter((r) => r.method === 'ALL').map((r) => r.path));
  const reads = new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path));
  for (const path of reads) {
    if (!handled.has(path)) app.all(path, ({ request }) => readOnlyRefusal(request));
  }
}
