/**
 * Bounded steady load for fault tests: `workers` loops, each sending one request at a time (round-robin
 * over `requests`) until stopped, recording when each started and ended, its status and Retry-After.
 * Times are `performance.now()` milliseconds, so they compare with the test's own phase marks.
 */
export interface Sample {
  kind: string;
  started: number;
  ended: number;
  status: number;
  retryAfter: string | null;
  body: string;
}

export interface LoadRequest {
  kind: string;
  build(): Request;
}

export interface SteadyLoad {
  readonly samples: Sample[];
  stop(): Promise<void>;
}

/**
 * A request that never answers counts as status 0 after `timeoutMs`. Each worker waits `pauseMs`
 * between requests, so instant refusals do not turn the load into a busy loop on a shared machine.
 */
export function steadyLoad(
  requests: LoadRequest[],
  { workers, timeoutMs, pauseMs = 0 }: { workers: number; timeoutMs: number; pauseMs?: number },
): SteadyLoad {
  const samples: Sample[] = [];
  let running = true;
  let next = 0;
  const loop = async () => {
    while (running) {
      const request = requests[next++ % requests.length];
      if (!request) return;
      const sample = await send(request, timeoutMs);
      samples.push(sample);
      // A refused connection answers at once: do not spin while the server is gone.
      await Bun.sleep(sample.status === 0 ? 50 : pauseMs);
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function send(request: LoadRequest, timeoutMs: number): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(request.build(), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return {
      kind: request.kind,
      started,
      ended: performance.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body,
    };
  } catch (error) {
    const body = error instanceof Error ? error.message : String(error);
    return {
      kind: request.kind,
      started,
      ended: performance.now(),
      status: 0,
      retryAfter: null,
      body,
    };
  }
}
