/** Requests as clients send them: tRPC URLs, in-process JSON posts, typed JSON bodies. */

/** A GET query (superjson input). */
export function trpcUrl(path: string, input?: unknown): string {
  const query =
    input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return `http://test.local/trpc/${path}${query}`;
}

/** A batched GET of several queries. */
export function batchUrl(calls: [string, unknown][]): string {
  const input = Object.fromEntries(calls.map(([, value], i) => [i, { json: value }]));
  const paths = calls.map(([path]) => path).join(',');
  return `http://test.local/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

/** A JSON POST (`body` may stream) to `path`, handled in-process by `app`. */
export function postJson(
  app: { handle(request: Request): Promise<Response> },
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.handle(
    new Request(`http://test.local${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }),
  );
}

/** The JSON body of a response, typed by the caller (tests know the shape they expect). */
export async function jsonBody<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
