/**
 * One process-wide budget of request-body bytes being buffered at once, so that many slow or
 * concurrent uploads — each within its own limit — cannot together pin unbounded memory. A body
 * with a declared Content-Length reserves it all before a byte is read; a chunked body reserves
 * each chunk as it arrives. A request the budget cannot take is refused (503, Retry-After) at once.
 */
import type { Config } from '@f1/core/config';

export class BodyBudget {
  private inFlight = 0;

  constructor(readonly capacity: number) {}

  /** Takes `bytes` from the budget; false (taking nothing) when that would pass the capacity. */
  tryReserve(bytes: number): boolean {
    if (this.inFlight + bytes > this.capacity) return false;
    this.inFlight += bytes;
    return true;
  }

  release(bytes: number): void {
    this.inFlight = Math.max(0, this.inFlight - bytes);
  }

  /** Bytes reserved right now (for tests and diagnostics). */
  get reserved(): number {
    return this.inFlight;
  }
}

/** How bodies are read: the budget they share and how long each may take to arrive. */
export interface BodyIntake {
  budget: BodyBudget;
  /** Milliseconds the whole body may take, by its limit (a bulk limit gets the longer deadline). */
  deadlineMs(limit: number): number;
}

/** Seconds to tell a client refused by the budget to wait before retrying. */
export const BODY_BUDGET_RETRY_AFTER_SECONDS = 2;

const intakes = new WeakMap<Config['bodyIntake'], BodyIntake>();

/** The intake for a configuration: one budget per configuration object, so per process. */
export function bodyIntakeOf(config: Config['bodyIntake'], defaultLimit: number): BodyIntake {
  let intake = intakes.get(config);
  if (!intake) {
    const { readTimeoutSeconds, bulkReadTimeoutSeconds } = config;
    intake = {
      budget: new BodyBudget(config.budgetBytes),
      deadlineMs: (limit) =>
        1000 * (limit > defaultLimit ? bulkReadTimeoutSeconds : readTimeoutSeconds),
    };
    intakes.set(config, intake);
  }
  return intake;
}

/** Whether the request carries a body (declared or chunked). */
function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return (length !== null && length.trim() !== '0') || request.headers.has('transfer-encoding');
}

/**
 * Bun's idle timeout (Elysia sets 30 s) is not restarted by body bytes arriving: a steady upload
 * longer than it is cut with no answer (and a drip is cut the same way, silently). A request with a
 * body gets the longest read deadline plus a margin instead, so the deadline — with its 408 — is what
 * stops a slow body, and a bulk upload on a slow link has the time the deadline allows.
 */
export function allowBodyTime(
  server: { timeout(request: Request, seconds: number): void } | null,
  request: Request,
  config: Config['bodyIntake'],
): void {
  if (!server || !hasBody(request)) return;
  server.timeout(request, Math.max(config.readTimeoutSeconds, config.bulkReadTimeoutSeconds) + 5);
}
