/**
 * What one HTTP request's cached reads depended on: the tags and the versions they were read at, and
 * the shortest remaining lifetime. The response cache stores a response only when every read was traced
 * (so it knows exactly which invalidations must drop it) and none saw two versions of one tag.
 *
 * Traces travel beside the tRPC context, keyed by the request's response-headers object, so the public
 * context type stays as it is.
 */
import type { CacheTag } from '@f1/core/changes/invalidation';

export class RequestTrace {
  readonly versions = new Map<CacheTag, string>();
  ttlMs = Number.POSITIVE_INFINITY;
  reads = 0;
  #spoiled = false;

  record(tags: readonly CacheTag[], versions: string, ttlMs: number): void {
    const parts = versions.split('.');
    tags.forEach((tag, i) => {
      const version = parts[i] ?? '0';
      const seen = this.versions.get(tag);
      if (seen !== undefined && seen !== version) this.#spoiled = true;
      this.versions.set(tag, version);
    });
    this.ttlMs = Math.min(this.ttlMs, ttlMs);
    this.reads++;
  }

  /** A read bypassed the cache (Redis down): the response must not be stored. */
  spoil(): void {
    this.#spoiled = true;
  }

  /** Worth storing: traced, consistent, and alive for at least a second. */
  get storable(): boolean {
    return this.reads > 0 && !this.#spoiled && this.ttlMs >= 1_000;
  }
}

const traces = new WeakMap<object, RequestTrace>();

export function attachTrace(carrier: object, trace: RequestTrace): void {
  traces.set(carrier, trace);
}

export function traceOf(carrier: object | null | undefined): RequestTrace | undefined {
  return carrier ? traces.get(carrier) : undefined;
}
