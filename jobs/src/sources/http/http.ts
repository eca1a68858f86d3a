/**
 * HTTP GET of JSON from the source, politely and resiliently: every attempt waits for a pacer slot
 * (≤ N req/s, hourly budget); 429 honours `Retry-After` (seconds or an HTTP date) or else backs off
 * exponentially with full jitter; 5xx, timeouts, dropped connections and unparseable bodies are retried
 * the same way, up to `retryAttempts` retries; then a `SourceError` names the URL and the last cause.
 * Other 4xx answers fail at once (retrying cannot fix them).
 */
import { SourceError } from './errors.ts';
import { BudgetExhaustedError, type Clock, Pacer, type RequestPacer, realClock } from './pacer.ts';

export interface HttpOptions {
  timeoutMs: number;
  retryAttempts: number;
  requestsPerSecond: number;
  hourlyBudget: number;
  /** First backoff step; doubled per retry, capped at `maxBackoffMs`, then fully jittered. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** Longest `Retry-After` we accept before giving up on the request. */
  maxRetryAfterMs?: number;
  /** Pacing shared with other processes (default: this process's own, from the two limits above). */
  pacer?: RequestPacer;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface HttpStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** 429 answers. */
  throttled: number;
  retries: number;
}

class Retryable extends Error {
  constructor(
    readonly code: 'http' | 'timeout' | 'network' | 'invalid_json',
    message: string,
    readonly status: number | null,
    readonly waitMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export class SourceHttp {
  readonly stats: HttpStats = { requests: 0, throttled: 0, retries: 0 };
  private readonly pacer: RequestPacer;
  private readonly clock: Clock;

  constructor(private readonly options: HttpOptions) {
    this.clock = options.clock ?? realClock;
    this.pacer =
      options.pacer ??
      new Pacer(
        { perSecond: options.requestsPerSecond, perHour: options.hourlyBudget },
        this.clock,
      );
  }

  /** GETs `url` and returns its parsed JSON body. */
  async getJson(url: string): Promise<unknown> {
    const attempts = this.options.retryAttempts + 1;
    let last: Retryable | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        this.stats.retries++;
        await this.clock.sleep(this.backoff(attempt - 1, last?.waitMs ?? null));
      }
      try {
        await this.pacer.acquire();
      } catch (error) {
        if (error instanceof BudgetExhaustedError) {
          throw new SourceError('budget', url, error.message, {
            cause: error,
            attempts: attempt - 1,
          });
        }
        throw error;
      }
      try {
        return await this.attempt(url);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        last = error;
        if (error.waitMs !== null && error.waitMs > (this.options.maxRetryAfterMs ?? 120_000))
          break;
      }
    }
    throw new SourceError(last?.code ?? 'http', url, last?.message ?? 'unknown failure', {
      cause: last?.cause ?? last,
      status: last?.status ?? undefined,
      attempts,
    });
  }

  private backoff(retry: number, retryAfter: number | null): number {
    if (retryAfter !== null) return retryAfter;
    const base = this.options.backoffBaseMs ?? 500;
    const cap = Math.min(this.options.maxBackoffMs ?? 30_000, base * 2 ** (retry - 1));
    // Full jitter: clients that failed together do not retry together.
    return Math.round((this.options.random ?? Math.random)() * cap);
  }

  private async attempt(url: string): Promise<unknown> {
    this.stats.requests++;
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    let body: string;
    try {
      response = await doFetch(url, {
        headers: {
          accept: 'application/json',
          'user-agent': this.options.userAgent ?? 'f1-analytics-ingest (+https://github.com)',
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw timedOut
        ? new Retryable('timeout', `no answer within ${this.options.timeoutMs} ms`, null, null, {
            cause: error,
          })
        : new Retryable('network', `connection failed: ${describe(error)}`, null, null, {
            cause: error,
          });
    }
    if (response.status === 429) {
      this.stats.throttled++;
      const wait = retryAfterMs(response.headers.get('retry-after'), this.clock.now());
      if (wait !== null) this.pacer.defer(wait);
      throw new Retryable(
        'http',
        `HTTP 429 Too Many Requests${wait === null ? '' : ` (Retry-After ${wait} ms)`}`,
        429,
        wait,
      );
    }
    if (response.status >= 500) {
      throw new Retryable(
        'http',
        `HTTP ${response.status} ${response.statusText}`.trim(),
        response.status,
        null,
      );
    }
    if (!response.ok) {
      throw new SourceError(
        'http',
        url,
        `HTTP ${response.status} ${response.statusText}: ${body.slice(0, 200)}`.trim(),
        {
          status: response.status,
        },
      );
    }
    try {
      return JSON.parse(body);
    } catch (error) {
      throw new Retryable(
        'invalid_json',
        `invalid JSON (${describe(error)}) in ${body.length} bytes`,
        response.status,
        null,
        {
          cause: error,
        },
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
