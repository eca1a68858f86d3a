/**
 * The credentials a client sends, and the one-refresh-then-retry rule for expired access tokens.
 *
 * A call rejected with UNAUTHORIZED while a `refresh` hook is configured triggers one refresh
 * (shared by every call that failed at the same time) and is retried once with the new token. If the
 * refresh yields nothing, or the retry fails again, the caller sees the original kind of error.
 */
import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';

type MaybePromise<T> = T | Promise<T>;

/** A bearer token, or a function that returns the current one (called before every request). */
export type TokenSource = string | (() => MaybePromise<string | null | undefined>);

/** Extra headers, or a function that returns them (called before every request). */
export type HeadersSource =
  | Record<string, string>
  | (() => MaybePromise<Record<string, string> | undefined>);

export interface CredentialsInit {
  token?: TokenSource | undefined;
  apiKey?: string | undefined;
  headers?: HeadersSource | undefined;
  /** Returns a fresh access token (or null when the session cannot be renewed). */
  refresh?: (() => Promise<string | null | undefined>) | undefined;
}

/** The header an API key travels in (the server accepts it on tRPC and REST alike). */
export const API_KEY_HEADER = 'x-api-key';

export class Credentials {
  readonly #init: CredentialsInit;
  #refreshed: string | null = null;
  #inflight: Promise<string | null> | null = null;
  /** Bumped by every successful refresh, so a call that failed with an old token just retries. */
  generation = 0;

  constructor(init: CredentialsInit) {
    this.#init = init;
  }

  get canRefresh(): boolean {
    return this.#init.refresh !== undefined;
  }

  async token(): Promise<string | null> {
    if (this.#refreshed) return this.#refreshed;
    const source = this.#init.token;
    const token = typeof source === 'function' ? await source() : source;
    return token ?? null;
  }

  async headers(): Promise<Record<string, string>> {
    const source = this.#init.headers;
    const extra = (typeof source === 'function' ? await source() : source) ?? {};
    const headers: Record<string, string> = { ...extra };
    const token = await this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (this.#init.apiKey) headers[API_KEY_HEADER] = this.#init.apiKey;
    return headers;
  }

  /** Runs the refresh hook once for all concurrent callers; resolves to the new token or null. */
  refresh(): Promise<string | null> {
    const hook = this.#init.refresh;
    if (!hook) return Promise.resolve(null);
    this.#inflight ??= hook()
      .then((token) => {
        if (token) {
          this.#refreshed = token;
          this.generation += 1;
        }
        return token ?? null;
      })
      .catch(() => null)
      .finally(() => {
        this.#inflight = null;
      });
    return this.#inflight;
  }
}

const isUnauthorized = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  'data' in error &&
  typeof error.data === 'object' &&
  error.data !== null &&
  'code' in error.data &&
  error.data.code === 'UNAUTHORIZED';

/**
 * A link that retries a query or mutation once after refreshing the access token. Subscriptions pass
 * through: they re-read credentials when they reconnect.
 */
export function refreshLink<TRouter extends AnyRouter>(
  credentials: Credentials,
): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      if (op.type === 'subscription' || !credentials.canRefresh) return next(op);
      return observable((observer) => {
        let subscription: Unsubscribable | null = null;
        let closed = false;
        const attempt = (retried: boolean) => {
          const sentWith = credentials.generation;
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || !isUnauthorized(error)) return observer.error(error);
              const renewed =
                credentials.generation !== sentWith
                  ? Promise.resolve(true)
                  : credentials.refresh().then((token) => token !== null);
              void renewed.then((ok) => {
                if (closed) return;
                if (ok) attempt(true);
                else observer.error(error);
              });
            },
          });
        };
        attempt(false);
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
    };
}
