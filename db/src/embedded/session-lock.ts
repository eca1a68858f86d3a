/**
 * A first-come, first-served mutex over the one PGlite session.
 *
 * PGlite is a single PostgreSQL backend: every client — the owner's own Kysely and each process connected
 * through the wire socket — shares one session. Whoever holds this lock holds the session for a whole
 * unit of work (one query, or BEGIN … COMMIT), so no statement of another client can land inside it.
 */
export class SessionLock {
  #held = false;
  readonly #waiters: Array<() => void> = [];

  /** Resolves once the session is this caller's; call the returned function (idempotent) to hand it on. */
  async acquire(): Promise<() => void> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // The lock passes straight to the next waiter, so nobody can overtake it in between.
      if (next) next();
      else this.#held = false;
    };
  }
}
