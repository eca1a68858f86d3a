/**
 * Sessions: a client created with the tokens from `auth.login` / `auth.register` sends the access
 * token and, when a call is refused as UNAUTHORIZED (the access token expired), exchanges the refresh
 * token once through `auth.refresh` (which rotates it) and retries the call.
 */
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from './types.ts';

/** The two tokens of a session (`auth.login`'s answer fits as it is). */
export interface F1Session {
  accessToken: string;
  refreshToken: string;
}

export interface SessionRefresherInit {
  /** The tRPC endpoint. */
  url: string;
  session: F1Session;
  /** Told the new tokens after each refresh (persist them), or null when the session has ended. */
  onSessionChange?: ((session: F1Session | null) => void) | undefined;
  fetch?: Parameters<typeof httpLink>[0]['fetch'];
  headers?: () => Promise<Record<string, string>>;
}

/** Holds the current session; `refresh()` renews it with `auth.refresh`. */
export class SessionRefresher {
  #session: F1Session | null;
  readonly #init: SessionRefresherInit;
  readonly #client: ReturnType<typeof createTRPCClient<AppRouter>>;

  constructor(init: SessionRefresherInit) {
    this.#init = init;
    this.#session = {
      accessToken: init.session.accessToken,
      refreshToken: init.session.refreshToken,
    };
    // Its own client without credentials: refreshing must not recurse into the refresh rule.
    this.#client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: init.url,
          transformer: superjson,
          ...(init.fetch ? { fetch: init.fetch } : {}),
          ...(init.headers ? { headers: init.headers } : {}),
        }),
      ],
    });
  }

  get accessToken(): string | null {
    return this.#session?.accessToken ?? null;
  }

  async refresh(): Promise<string | null> {
    const current = this.#session;
    if (!current) return null;
    try {
      const tokens = await this.#client.auth.refresh.mutate({ refreshToken: current.refreshToken });
      this.#session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
    } catch {
      // Refused (expired, revoked or reused refresh token): the session is over.
      this.#session = null;
    }
    this.#init.onSessionChange?.(this.#session && { ...this.#session });
    return this.#session?.accessToken ?? null;
  }
}
