/**
 * One process's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * several apps in one test process do not share counts). Counted as things happen: HTTP requests and
 * their latency, rate-limit refusals, Redis errors. Read when scraped (`collectors.ts`): caches, the
 * database pool, ingestion runs, the scheduler's lock.
 *
 * Built only when F1_METRICS_TOKEN is set (Services.metrics); without it nothing is counted.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { type MetricSources, registerCollectors } from './collectors.ts';

/** Seconds: a response-cache hit is well under 1 ms, an uncached season read tens of ms. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** limit: over the policy's budget (429); unavailable: the store is down and the policy fails closed (503). */
export type RateLimitRefusal = 'limit' | 'unavailable';

/** Where a Redis error was seen. */
export type RedisErrorSource = 'connection' | 'rate_limiter';

interface RouteInstruments {
  observe(seconds: number): void;
  statuses: Map<number, () => void>;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'f1_http_requests_total',
    help: 'HTTP requests answered, by route (procedure, REST operation, Ergast endpoint, health; unmatched) and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'f1_http_request_duration_seconds',
    help: 'Time from receiving a request to its response (headers; a streamed body may follow), by route',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #refusals = new Counter({
    name: 'f1_rate_limit_refusals_total',
    help: 'Rate-limit checks not admitted, by policy and reason (limit: over budget, 429; unavailable: store down and failing closed, 503)',
    labelNames: ['policy', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #redisErrors: Counter<'source'>;
  /** Bound children per route: the hot path never builds a label object. */
  readonly #routes = new Map<string, RouteInstruments>();

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
    redis?.on('error', () => this.redisError('connection'));
    registerCollectors(this.registry, sources);
  }

  /** Counts one answered request. */
  request(route: string, status: number, seconds: number): void {
    let instruments = this.#routes.get(route);
    if (!instruments) {
      const histogram = this.#latency.labels(route);
      instruments = { observe: (s) => histogram.observe(s), statuses: new Map() };
      this.#routes.set(route, instruments);
    }
    instruments.observe(seconds);
    let inc = instruments.statuses.get(status);
    if (!inc) {
      const counter = this.#requests.labels(route, String(status));
      inc = () => counter.inc();
      instruments.statuses.set(status, inc);
    }
    inc();
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
