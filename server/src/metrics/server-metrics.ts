/**
 * One process's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * several apps in one test process do not share counts). Counted as things happen: HTTP requests and
 * their latency, rate-limit refusals, Redis errors. Read when scraped (`collectors.ts`): caches, the
 * database pool, ingestion runs, the scheduler's lock.
 *
 * Built only when F1_METRICS_TOKEN is set (Services.metrics); without it nothing is counted.
 */
import { Counter, Registry } from 'prom-client';
import { type MetricSources, registerCollectors } from './collectors.ts';
import { LatencyHistogram, RequestStats, requestCounter } from './request-stats.ts';

/** Seconds: a response-cache hit is well under 1 ms, an uncached season read tens of ms. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** limit: over the policy's budget (429); unavailable: the store is down and the policy fails closed (503). */
export type RateLimitRefusal = 'limit' | 'unavailable';

/** Where a Redis error was seen. */
export type RedisErrorSource = 'connection' | 'rate_limiter';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests = new RequestStats(LATENCY_BUCKETS);
  readonly #refusals = new Counter({
    name: 'f1_rate_limit_refusals_total',
    help: 'Rate-limit checks not admitted, by policy and reason (limit: over budget, 429; unavailable: store down and failing closed, 503)',
    labelNames: ['policy', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #redisErrors: Counter<'source'>;

  constructor(sources: MetricSources) {
    const { cache, redis } = sources;
    // The caches count their own Redis failures; a scrape adds what they counted since the last one.
    const seen = { response_cache: 0, query_cache: 0 };
    this.#redisErrors = new Counter({
      name: 'f1_redis_errors_total',
      help: 'Redis errors seen by this process, by where (connection: client error events; rate_limiter: checks that met a failed store; response_cache, query_cache: failed reads or writes)',
      labelNames: ['source'] as const,
      registers: [this.registry],
      collect() {
        if (!redis) return;
        const now = {
          response_cache: cache.responses.stats.errors,
          query_cache: cache.query.stats.errors,
        };
        for (const source of ['response_cache', 'query_cache'] as const) {
          this.labels(source).inc(Math.max(0, now[source] - seen[source]));
          seen[source] = now[source];
        }
      },
    });
    requestCounter(
      this.registry,
      {
        name: 'f1_http_requests_total',
        help: 'HTTP requests answered, by route (procedure, REST operation, Ergast endpoint, health; unmatched) and status',
      },
      this.#requests,
    );
    new LatencyHistogram(
      this.registry,
      {
        name: 'f1_http_request_duration_seconds',
        help: 'Time from receiving a request to its response (headers; a streamed body may follow), by route',
      },
      this.#requests,
    );
    redis?.on('error', () => this.redisError('connection'));
    registerCollectors(this.registry, sources);
  }

  /** Counts one answered request. */
  request(route: string, status: number, seconds: number): void {
    this.#requests.record(route, status, seconds);
  }

  rateLimitRefused(policy: string, reason: RateLimitRefusal): void {
    this.#refusals.labels(policy, reason).inc();
  }

  redisError(source: RedisErrorSource): void {
    this.#redisErrors.labels(source).inc();
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
