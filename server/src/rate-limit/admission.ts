/**
 * The rate limit taken before a request's body is read, so a limited client's body is never buffered.
 *
 * The HTTP layer knows, from the URL and headers alone, which procedures a request calls and who calls
 * them: it counts each call's caller-keyed checks here (exactly what the middleware would count, once
 * per call of a batch) and hands the outcomes to the middleware through the context, which settles
 * them instead of counting again. When every call is refused the request is answered (429) at once.
 * Calls made without HTTP (server-side callers, tests) have no admission: the middleware counts itself.
 */
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { type CheckOutcome, callerChecks, type RateLimitPreset, runChecks } from './checks.ts';

export interface AdmittedCall {
  path: string;
  preset: RateLimitPreset;
}

export class Admission {
  /** Outcomes per procedure path, in the order a batch lists the calls. */
  private readonly outcomes = new Map<string, CheckOutcome[]>();

  constructor(private readonly calls: readonly (readonly [path: string, outcome: CheckOutcome])[]) {
    for (const [path, outcome] of calls) {
      const list = this.outcomes.get(path) ?? [];
      list.push(outcome);
      this.outcomes.set(path, list);
    }
  }

  /** The outcome counted for the next call of `path`; undefined when none was (count it now). */
  take(path: string): CheckOutcome | undefined {
    return this.outcomes.get(path)?.shift();
  }

  /** Every call's outcome in call order, as counted (for an answer sent without the body). */
  all(): CheckOutcome[] {
    return this.calls.map(([, outcome]) => outcome);
  }

  /** True when there were calls and each was refused: nothing would run, so the body is not needed. */
  get nothingAdmitted(): boolean {
    const all = this.all();
    return all.length > 0 && all.every((outcome) => outcome.refused || outcome.unavailable);
  }
}

/**
 * Counts the caller-keyed checks of each call (one count per call of a batch, concurrently, as tRPC
 * runs a batch's calls).
 */
export async function admit(
  services: Services,
  caller: { principal: Principal | null; ip: string | null },
  calls: readonly AdmittedCall[],
): Promise<Admission> {
  const outcomes = await Promise.all(
    calls.map(
      async ({ path, preset }) =>
        [path, await runChecks(services, callerChecks(services, caller, preset))] as const,
    ),
  );
  return new Admission(outcomes);
}
