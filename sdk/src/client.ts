/**
 * `createF1Client`: the typed client. Queries and mutations are batched over HTTP (`httpBatchLink`),
 * subscriptions stream over Server-Sent Events (`httpSubscriptionLink`), and superjson carries `Date`s
 * both ways. Works wherever `fetch` exists (Bun, Node ≥ 20, browsers).
 */
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from '@trpc/client';
import superjson from 'superjson';
import { Credentials, type HeadersSource, refreshLink, type TokenSource } from './credentials.ts';
import { type F1Session, SessionRefresher } from './session.ts';
import type { AppRouter, F1Client } from './types.ts';

/** The `fetch` signature the client needs (the global `fetch`, undici's, a test double…). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * An `EventSource` class, for runtimes without a global one (Node 20: the `eventsource` package's),
 * typed as loosely as tRPC's SSE link accepts it.
 */
export type EventSourceClass = NonNullable<
  Parameters<typeof httpSubscriptionLink>[0]['EventSource']
>;

export interface F1ClientOptions {
  /** The server's base URL, e.g. `http://localhost:8000` (tRPC lives under `/trpc`). */
  url: string;
  /** Access token (JWT) sent as `Authorization: Bearer …`, or a function returning the current one. */
  token?: TokenSource | undefined;
  /**
   * A session (`auth.login`'s or `auth.register`'s answer): its access token is sent, and renewed once
   * with `auth.refresh` when a call is refused as UNAUTHORIZED. Ignored when `token` is given.
   */
  session?: F1Session | undefined;
  /** Told the new tokens after each refresh (persist them), or null when the session has ended. */
  onSessionChange?: ((session: F1Session | null) => void) | undefined;
  /** API key for machine clients (ML services), sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /**
   * Called once when a call fails with UNAUTHORIZED: return a fresh access token and the call is
   * retried once with it (concurrent failures share one refresh), or null to give up.
   */
  refresh?: (() => Promise<string | null | undefined>) | undefined;
  /** Custom `fetch` (defaults to the global one). */
  fetch?: FetchLike | undefined;
  /** Extra headers for every request, or a function returning them. */
  headers?: HeadersSource | undefined;
  /** `EventSource` implementation for subscriptions where there is no global one. */
  EventSource?: EventSourceClass | undefined;
  /** Largest number of calls sent in one batched request (default 20). */
  maxBatchSize?: number | undefined;
}

type TrpcFetch = NonNullable<Parameters<typeof httpBatchLink>[0]['fetch']>;

/**
 * Adapts a standard `fetch` to tRPC's structural `FetchEsque`. The two describe the same function, but
 * some runtimes' `Response`/`ReadableStream` typings (bun-types under TS 7) do not match tRPC's
 * minimal interfaces structurally: one cast at this seam.
 */
function asTrpcFetch(fetchImpl: FetchLike): TrpcFetch {
  const adapted = (input: unknown, init?: RequestInit) => fetchImpl(String(input), init);
  return adapted as unknown as TrpcFetch;
}

/** Stands in where the runtime has no `EventSource`, so a subscription fails with what to do. */
class MissingEventSource {
  constructor() {
    throw new Error(
      'this runtime has no EventSource: pass one to createF1Client({ EventSource }) ' +
        "(npm install eventsource; import { EventSource } from 'eventsource')",
    );
  }
}

function eventSourceClass(given: EventSourceClass | undefined): EventSourceClass {
  const global = (globalThis as { EventSource?: EventSourceClass }).EventSource;
  return given ?? global ?? (MissingEventSource as unknown as EventSourceClass);
}

/** The tRPC endpoint under a base URL (trailing slashes tolerated). */
export function trpcUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/trpc`;
}

/**
 * Creates a typed client for the F1 Analytics API.
 * @example
 * const f1 = createF1Client({ url: 'http://localhost:8000' });
 * const health = await f1.health.query();
 */
export function createF1Client(options: F1ClientOptions): F1Client {
  const url = trpcUrl(options.url);
  const fetchImpl = options.fetch;
  const extraHeaders = new Credentials({ headers: options.headers });
  const session =
    options.session && options.token === undefined
      ? new SessionRefresher({
          url,
          session: options.session,
          onSessionChange: options.onSessionChange,
          fetch: fetchImpl ? asTrpcFetch(fetchImpl) : undefined,
          headers: () => extraHeaders.headers(),
        })
      : null;
  const credentials = new Credentials({
    ...options,
    ...(session
      ? { token: () => session.accessToken, refresh: options.refresh ?? (() => session.refresh()) }
      : {}),
  });
  const links: TRPCLink<AppRouter>[] = [
    refreshLink(credentials),
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({
        url,
        transformer: superjson,
        // EventSource cannot send headers; credentials travel as tRPC connection params instead.
        connectionParams: () => credentials.headers(),
        EventSource: eventSourceClass(options.EventSource),
      }),
      false: httpBatchLink({
        url,
        transformer: superjson,
        maxItems: options.maxBatchSize ?? 20,
        headers: () => credentials.headers(),
        ...(fetchImpl ? { fetch: asTrpcFetch(fetchImpl) } : {}),
      }),
    }),
  ];
  return createTRPCClient<AppRouter>({ links });
}
