import { expect, test } from 'bun:test';
import { Registry } from 'prom-client';
import { LatencyHistogram, RequestStats, requestCounter } from './request-stats.ts';
import { parseMetrics, sampleValue } from './testing.ts';

function setUp() {
  const registry = new Registry();
  const stats = new RequestStats([0.01, 0.1, 1]);
  requestCounter(registry, { name: 'reqs_total', help: 'requests' }, stats);
  new LatencyHistogram(registry, { name: 'latency_seconds', help: 'latency' }, stats);
  return { registry, stats };
}

test('buckets are cumulative, a value on a bound counts in that bucket, past the last only in +Inf', async () => {
  const { registry, stats } = setUp();
  for (const seconds of [0.005, 0.01, 0.05, 0.5, 3]) stats.record('a', 200, seconds);
  stats.record('a', 404, 0.001);
  stats.record('b', 200, 0.2);
  const text = await registry.metrics();
  expect(text).toContain('# TYPE latency_seconds histogram');
  const samples = parseMetrics(text);
  const bucket = (route: string, le: string) =>
    sampleValue(samples, 'latency_seconds_bucket', { route, le });
  expect([bucket('a', '0.01'), bucket('a', '0.1'), bucket('a', '1'), bucket('a', '+Inf')]).toEqual([
    3, 4, 5, 6,
  ]);
  expect(sampleValue(samples, 'latency_seconds_count', { route: 'a' })).toBe(6);
  expect(sampleValue(samples, 'latency_seconds_sum', { route: 'a' })).toBeCloseTo(3.566, 6);
  expect(bucket('b', '0.1')).toBe(0);
  expect(bucket('b', '1')).toBe(1);
  expect(sampleValue(samples, 'reqs_total', { route: 'a', status: '200' })).toBe(5);
  expect(sampleValue(samples, 'reqs_total', { route: 'a', status: '404' })).toBe(1);
  expect(sampleValue(samples, 'reqs_total', { route: 'b', status: '200' })).toBe(1);
});

test('the JSON form carries the same values', async () => {
  const { registry, stats } = setUp();
  stats.record('a', 200, 0.05);
  const json = await registry.getMetricsAsJSON();
  const histogram = json.find((m) => m.name === 'latency_seconds');
  const count = histogram?.values.find(
    (v) => 'metricName' in v && v.metricName === 'latency_seconds_count',
  );
  expect(count?.labels).toEqual({ route: 'a' });
  expect(count?.value).toBe(1);
});

test('an empty registry writes the metric with no samples', async () => {
  const { registry } = setUp();
  expect(parseMetrics(await registry.metrics())).toEqual([]);
});
