/**
 * Politeness towards the source: requests are spaced so that at most `perSecond` start in any second
 * (Jolpica: 4/s burst), and at most `perHour` are sent in any rolling hour (Jolpica: 500/h). Waiting
 * for the next one-second slot is cheap; running out of the hourly budget is an error (the caller
 * reports it and a later run resumes), never an hour-long sleep.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? Bun.sleep(ms) : Promise.resolve()),
};

export const HOUR_MS = 3_600_000;

/** What the HTTP client waits on before each request; `Pacer` paces one process, `SharedPacer` all. */
export interface RequestPacer {
  /** Waits for the next slot; throws `BudgetExhaustedError` when the hourly budget is spent. */
  acquire(): Promise<void>;
  /** Pushes the next slot back (a 429 means the source wants us slower than we thought). */
  defer(ms: number): void;
}

/**
 * 5 % over the bare interval: four gaps then span ≥ 1050 ms at 4/s, so up to 50 ms of network jitter
 * cannot squeeze perSecond + 1 arrivals into one second at the source.
 */
export const slotIntervalMs = (perSecond: number) => (1000 / perSecond) * 1.05;

export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(
    readonly perHour: number,
    readonly retryInMs: number,
  ) {
    super(
      `hourly request budget of ${perHour} is spent; the next request is allowed in ${Math.ceil(retryInMs / 60_000)} min`,
    );
  }
}

export class Pacer implements RequestPacer {
  private nextSlot = 0;
  private readonly sent: number[] = [];
  private readonly intervalMs: number;

  constructor(
    readonly limits: { perSecond: number; perHour: number },
    private readonly clock: Clock = realClock,
  ) {
    this.intervalMs = slotIntervalMs(limits.perSecond);
  }

  /** Requests sent in the last hour (by this process). */
  get usedThisHour(): number {
    this.prune();
    return this.sent.length;
  }

  async acquire(): Promise<void> {
    this.prune();
    if (this.sent.length >= this.limits.perHour) {
      const oldest = this.sent[0] ?? this.clock.now();
      throw new BudgetExhaustedError(this.limits.perHour, oldest + HOUR_MS - this.clock.now());
    }
    const now = this.clock.now();
    const wait = Math.max(0, this.nextSlot - now);
    this.nextSlot = now + wait + this.intervalMs; // reserved before sleeping: concurrent callers queue up
    await this.clock.sleep(wait);
    // Timers fire late on a busy event loop: space the next request from when this one really starts.
    const started = this.clock.now();
    this.nextSlot = Math.max(this.nextSlot, started + this.intervalMs);
    this.sent.push(started);
  }

  defer(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock.now() + ms);
  }

  private prune(): void {
    const horizon = this.clock.now() - HOUR_MS;
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= horizon) this.sent.shift();
  }
}
