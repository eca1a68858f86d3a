/**
 * A first-come, first-served mutex over the one PGlite session.
 *
 * PGlite is a single PostgreSQL backend: every client — the owner's own Kysely and each process connected
 * through the wire socket — shares one session. Whoever holds this lock holds the session for a whole
 * unit of work (one query, or BEGIN … COMMIT), so no statement of another client can land inside it.
 */
export class SessionLockTimeoutError extends Error {
  override readonly name = 'SessionLockTimeoutError';

  constructor(timeoutMs: number) {
    super(
      `the embedded database's session stayed busy for ${timeoutMs} ms (another process holds it)`,
    );
  }
}

export class SessionLock {
  #held = false;
  #grants = 0;
  readonly #waiters: Array<() => void> = [];

  /** Which grant holds the lock now (a new number per holder), or null when it is free. */
  get holder(): number | null {
    return this.#held ? this.#grants : null;
  }

  /** Callers waiting for the session. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves once the session is this caller's; call the returned function (idempotent) to hand it on.
   * With `timeoutMs`, gives up (SessionLockTimeoutError) after waiting that long.
   */
  async acquire(timeoutMs?: number): Promise<() => void> {
    if (this.#held) await this.#wait(timeoutMs);
    this.#held = true;
    this.#grants++;
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

  #wait(timeoutMs: number | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Called by a release, which has already taken it off the queue: the timer cannot fire after.
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(waiter);
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new SessionLockTimeoutError(timeoutMs));
      }, timeoutMs);
    });
  }
}
