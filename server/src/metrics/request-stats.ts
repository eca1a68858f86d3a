/**
 * Requests per route and status, and their latency, counted in plain numbers: the hot path is one
 * map lookup, a short bucket scan and a few increments (prom-client's own `observe`/`inc` hash and
 * validate their labels on every call, ~0.7 µs a request here, a tenth of a response-cache hit).
 * prom-client reads them at scrape time: `requestCounter` (public Counter API, filled in `collect`)
 * and `LatencyHistogram` (a Histogram whose exposition is built from these counts).
 */
import { Counter, Histogram, type Registry } from 'prom-client';

interface RouteSeries {
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last slot is above the highest bound (+Inf). */
  buckets: number[];
  statuses: Map<number, number>;
}

export class RequestStats {
  readonly #routes = new Map<string, RouteSeries>();

  constructor(readonly bounds: readonly number[]) {}

  record(route: string, status: number, seconds: number): void {
    let series = this.#routes.get(route);
    if (!series) {
      series = {
        count: 0,
        sum: 0,
        buckets: new Array(this.bounds.length + 1).fill(0),
        statuses: new Map(),
      };
      this.#routes.set(route, series);
    }
    series.count++;
    series.sum += seconds;
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] ?? 0)) i++;
    series.buckets[i] = (series.buckets[i] ?? 0) + 1;
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
  }

  entries(): IterableIterator<[string, Readonly<RouteSeries>]> {
    return this.#routes.entries();
  }
}

/** `name{route,status}`: the request counts, copied in at scrape time. */
export function requestCounter(
  registry: Registry,
  spec: { name: string; help: string },
  stats: RequestStats,
): Counter<'route' | 'status'> {
  return new Counter({
    ...spec,
    labelNames: ['route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [route, series] of stats.entries())
        for (const [status, count] of series.statuses)
          this.inc({ route, status: String(status) }, count);
    },
  });
}

/** What prom-client's registry reads from a metric for the text exposition (`getForPromString`). */
interface Exposition {
  name: string;
  help: string;
  type: 'histogram';
  /** As prom-client's own histogram has them: `le` in `labels`, the series' labels in `sharedLabels`. */
  values: {
    metricName: string;
    labels: { le?: string | number };
    sharedLabels: { route: string };
    value: number;
  }[];
  aggregator: 'sum';
}

/** A histogram by `route` whose values are `stats`' (observe() is not used). */
export class LatencyHistogram extends Histogram<string> {
  readonly #spec: { name: string; help: string };

  constructor(
    registry: Registry,
    spec: { name: string; help: string },
    private readonly stats: RequestStats,
  ) {
    super({ ...spec, labelNames: ['route'], buckets: [...stats.bounds], registers: [registry] });
    this.#spec = spec;
  }

  /**
   * What the registry writes (prom-client's registry prefers this to `get`, and its `get` — the JSON
   * form — is built from it too); `observe` is never used, so the base class holds nothing.
   */
  async getForPromString(): Promise<Exposition> {
    const { name, help } = this.#spec;
    const values: Exposition['values'] = [];
    for (const [route, series] of this.stats.entries()) {
      let cumulative = 0;
      this.stats.bounds.forEach((le, i) => {
        cumulative += series.buckets[i] ?? 0;
        values.push({
          metricName: `${name}_bucket`,
          labels: { le },
          sharedLabels: { route },
          value: cumulative,
        });
      });
      values.push(
        {
          metricName: `${name}_bucket`,
          labels: { le: '+Inf' },
          sharedLabels: { route },
          value: series.count,
        },
        { metricName: `${name}_sum`, labels: {}, sharedLabels: { route }, value: series.sum },
        { metricName: `${name}_count`, labels: {}, sharedLabels: { route }, value: series.count },
      );
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  }
}
