/** The dashboard's one way to the data: the public REST API under /api/v1 (plain JSON). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown by a page for data that is valid to ask for but not there (a season with no results yet):
 * the page says so in a plain status line, not as a load failure.
 */
export class NoData extends Error {}

/** GET /api/v1<path>; throws ApiError with the API's message on a non-2xx answer. */
export async function api<T>(path: string): Promise<T> {
  const response = await fetch(`/api/v1${path}`, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new ApiError(response.status, body?.message ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

/** Like `api`, but null for a 404 (data that may simply not exist yet). */
export async function apiOrNull<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** A query string from defined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
