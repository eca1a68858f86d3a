/**
 * Pacing shared through Redis by every process that calls the same source: the CLI, the scheduler and
 * a second host draw their slots from one schedule and one rolling hourly budget, because the source
 * counts requests per client address, not per process (Jolpica: 4/s and 500/h).
 *
 * One Lua call per request reserves the next slot on Redis's clock (`TIME`), so hosts with skewed
 * clocks still agree; the caller then sleeps until its slot. When Redis fails, this process falls back
 * to its own `Pacer` (still polite, no longer shared) and says so in the log, at most every 30 s.
 */
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { type CallersOf, defineScripts, script } from '@f1/core/redis-scripts';
import {
  BudgetExhaustedError,
  type Clock,
  HOUR_MS,
  Pacer,
  type RequestPacer,
  realClock,
  slotIntervalMs,
} from './pacer.ts';

/** Returns `{ -1, ms until the oldest request leaves the hour }` or `{ 0, ms until our slot }`. */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval, perHour, hour = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - hour)
if redis.call('ZCARD', KEYS[2]) >= perHour then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return { -1, tonumber(oldest[2]) + hour - now }
end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%d', slot + interval), 'PX', slot + interval - now + 1000)
redis.call('ZADD', KEYS[2], slot, ARGV[3])
redis.call('PEXPIRE', KEYS[2], slot - now + hour)
return { 0, slot - now }
`;

/** Moves the shared next slot to at least now + ARGV[1] ms. */
const DEFER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local target = now + tonumber(ARGV[1])
if target > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%d', target), 'PX', tonumber(ARGV[1]) + 1000)
end
return target
`;

export const PACER_SCRIPTS = defineScripts({
  /** `[-1, ms until the oldest request leaves the hour]` or `[0, ms until our slot]`. */
  f1PacerReserve: script<
    [
      next: string,
      sent: string,
      intervalMs: number,
      perHour: number,
      member: string,
      hourMs: number,
    ],
    [status: number, ms: number]
  >({ numberOfKeys: 2, lua: RESERVE }),
  f1PacerDefer: script<[next: string, ms: number], number>({ numberOfKeys: 1, lua: DEFER }),
});

const WARN_INTERVAL_MS = 30_000;

export interface SharedPacerOptions {
  /** Names the schedule; processes pacing the same source use the same name (the source's host). */
  name: string;
  perSecond: number;
  perHour: number;
  logger?: Logger;
  clock?: Clock;
}

export class SharedPacer implements RequestPacer {
  readonly #commands: CallersOf<typeof PACER_SCRIPTS>;
  readonly #keys: { next: string; sent: string };
  readonly #intervalMs: number;
  readonly #fallback: Pacer;
  readonly #clock: Clock;
  #sequence = 0;
  #lastWarning = Number.NEGATIVE_INFINITY;

  constructor(
    redis: Redis,
    private readonly options: SharedPacerOptions,
  ) {
    this.#commands = PACER_SCRIPTS.on(redis);
    this.#keys = { next: `f1:pacer:${options.name}:next`, sent: `f1:pacer:${options.name}:sent` };
    // Whole milliseconds: the slot is stored as an integer.
    this.#intervalMs = Math.ceil(slotIntervalMs(options.perSecond));
    this.#clock = options.clock ?? realClock;
    this.#fallback = new Pacer(options, this.#clock);
  }

  async acquire(): Promise<void> {
    let reply: [number, number];
    try {
      reply = await this.#commands.f1PacerReserve(
        this.#keys.next,
        this.#keys.sent,
        this.#intervalMs,
        this.options.perHour,
        `${process.pid}:${crypto.randomUUID()}:${++this.#sequence}`,
        HOUR_MS,
      );
    } catch (error) {
      this.#warn(error);
      return this.#fallback.acquire();
    }
    const [status, ms] = reply;
    if (status < 0) throw new BudgetExhaustedError(this.options.perHour, ms);
    await this.#clock.sleep(ms);
    // Slots are spaced as reserved; a timer that fired late would bring this request closer to the
    // next one. Push the shared next slot to at least one interval after this request really starts.
    try {
      await this.#commands.f1PacerDefer(this.#keys.next, this.#intervalMs);
    } catch (error) {
      this.#warn(error);
    }
  }

  defer(ms: number): void {
    this.#fallback.defer(ms);
    // Commands on one connection run in order, so the next acquire() sees the deferred slot.
    this.#commands.f1PacerDefer(this.#keys.next, Math.ceil(ms)).catch((error: unknown) => {
      this.#warn(error);
    });
  }

  #warn(error: unknown): void {
    const now = this.#clock.now();
    if (now - this.#lastWarning < WARN_INTERVAL_MS) return;
    this.#lastWarning = now;
    this.options.logger?.warn('shared request pacing unavailable; pacing this process alone', {
      source: this.options.name,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
