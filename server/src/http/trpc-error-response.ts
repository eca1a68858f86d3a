/**
 * Error answers for `/trpc` requests refused before tRPC is entered (rate limited, body too large),
 * shaped exactly like tRPC's own — one error per call, an array for a batch — so clients cannot tell
 * which layer answered.
 */
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';

export type TrpcErrorCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;

export interface CallError {
  code: TrpcErrorCode;
  httpStatus: number;
  message: string;
}

/**
 * The procedure paths of a tRPC URL (`/trpc/a,b?batch=1` → `['a', 'b']`). String scanning rather
 * than `new URL`: this runs on every response-cache hit.
 */
export function callPaths(url: string, endpoint: string): { paths: string[]; batch: boolean } {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const queryStart = url.indexOf('?', pathStart);
  const path = url.slice(pathStart, queryStart < 0 ? undefined : queryStart);
  const at = path.indexOf(endpoint);
  const rest = (at < 0 ? path : path.slice(at + endpoint.length)).replace(/^\/+/, '');
  const batch = queryStart >= 0 && /[?&]batch=1(&|$)/.test(url.slice(queryStart));
  return { paths: batch ? rest.split(',') : [rest], batch };
}

/**
 * The answer for `url` with `errorOf(path, index)` for each of its calls. Its status is the calls'
 * common status, or 207 when they differ (as tRPC answers a mixed batch).
 */
export function trpcErrorResponse(
  url: string,
  endpoint: string,
  options: {
    errorOf: (path: string, index: number) => CallError;
    headers?: Record<string, string> | Headers;
  },
): Response {
  const { paths, batch } = callPaths(url, endpoint);
  const errors = paths.map((path, index) => ({ path, ...options.errorOf(path, index) }));
  const body = errors.map(({ path, code, httpStatus, message }) => ({
    error: {
      json: {
        message,
        code: TRPC_ERROR_CODES_BY_KEY[code],
        data: { code, httpStatus, path, zodError: null },
      },
    },
  }));
  const statuses = new Set(errors.map((error) => error.httpStatus));
  const status = statuses.size === 1 ? (errors[0]?.httpStatus ?? 500) : 207;
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(batch ? body : body[0]), { status, headers });
}
