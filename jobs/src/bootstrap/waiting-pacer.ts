/**
 * A pacer that waits for the hourly budget instead of failing: the per-second pacing and the budget
 * stay the inner pacer's (this process's `Pacer`, or the `SharedPacer` every process on the same Redis
 * draws from); when the hour is spent this one sleeps until a slot leaves the rolling hour, saying so,
 * and then asks again. A bootstrap runs for hours, so running out is the normal case, not an error.
 *
 * It also remembers requests the inner pacer cannot know of: those of an earlier bootstrap run in the
 * last hour (seeded from the database), so a stop-and-rerun without Redis does not start a fresh hour.
 * An abort (SIGINT/SIGTERM) ends a wait at once with `BootstrapStoppedError`.
 */
import {
  BudgetExhaustedError,
  type Clock,
  HOUR_MS,
  type RequestPacer,
  realClock,
} from '../sources/http/pacer.ts';

export class BootstrapStoppedError extends Error {
  override readonly name = 'BootstrapStoppedError';
}

/** Sleeps `ms`, or rejects with `BootstrapStoppedError` as soon as `signal` aborts. */
export type Wait = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realWait: Wait = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new BootstrapStoppedError(String(signal.reason)));
    // A cleared timer, not Bun.sleep: an hour-long sleep must not keep a stopped process alive.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BootstrapStoppedError(String(signal?.reason)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface WaitingPacerOptions {
  perHour: number;
  /** Times (ms since the epoch) of requests already sent within the hour, by earlier runs. */
  seed?: readonly number[];
  signal?: AbortSignal;
  /** Told before each wait for the budget, with its length. */
  onWait?: (ms: number) => void;
  clock?: Clock;
  wait?: Wait;
}

export class WaitingPacer implements RequestPacer {
  readonly #sent: number[];
  readonly #clock: Clock;
  readonly #wait: Wait;

  constructor(
    private readonly inner: RequestPacer,
    private readonly options: WaitingPacerOptions,
  ) {
    this.#sent = [...(options.seed ?? [])].sort((a, b) => a - b);
    this.#clock = options.clock ?? realClock;
    this.#wait = options.wait ?? realWait;
  }

  /** Requests counted in the rolling hour (the seed's included). */
  get usedThisHour(): number {
    this.#prune();
    return this.#sent.length;
  }

  async acquire(): Promise<void> {
    for (;;) {
      if (this.options.signal?.aborted)
        throw new BootstrapStoppedError(String(this.options.signal.reason));
      this.#prune();
      const oldest = this.#sent[0];
      if (this.#sent.length >= this.options.perHour && oldest !== undefined) {
        await this.#waitFor(oldest + HOUR_MS - this.#clock.now());
        continue;
      }
      try {
        await this.inner.acquire();
      } catch (error) {
        if (!(error instanceof BudgetExhaustedError)) throw error;
        await this.#waitFor(error.retryInMs); // other processes spent the shared hour
        continue;
      }
      this.#sent.push(this.#clock.now());
      return;
    }
  }

  defer(ms: number): void {
    this.inner.defer(ms);
  }

  async #waitFor(ms: number): Promise<void> {
    const wait = Math.max(1_000, ms); // at least a second: never a busy loop
    this.options.onWait?.(wait);
    await this.#wait(wait, this.options.signal);
  }

  #prune(): void {
    const horizon = this.#clock.now() - HOUR_MS;
    while ((this.#sent[0] ?? Number.POSITIVE_INFINITY) <= horizon) this.#sent.shift();
  }
}
