/**
 * What `/trpc` does with a request that may carry a body, before tRPC reads it:
 *
 * 1. From the URL alone: which procedures it calls, and so their rate-limit and body-limit presets.
 * 2. Authenticate (headers only) and count the rate limit (rate-limit/admission.ts). When no call is
 *    admitted the request is answered 429 now, and its body is never read.
 * 3. Read the body under the calls' limit (body-limit.ts): 413 as soon as it is known to be over,
 *    408 past the read deadline, 503 (Retry-After) when the process-wide body budget is spent.
 *
 * tRPC then gets the buffered request, with the authentication and the admission, so neither is done
 * twice. An answer sent before the body was read closes the connection (`closeUnread` in body-limit.ts).
 */
import { noteRefusal, type Refusal } from '../audit/refusals.ts';
import { authenticateRequest, type RequestAuth, requestIp } from '../auth/request-context.ts';
import { type Admission, admit } from '../rate-limit/admission.ts';
import type { CheckOutcome } from '../rate-limit/checks.ts';
import { applyRateLimitHeaders } from '../rate-limit/limiter.ts';
import type { Services } from '../services.ts';
import type { Meta } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { BODY_BUDGET_RETRY_AFTER_SECONDS, bodyIntakeOf } from './body-budget.ts';
import {
  BODY_LIMITS,
  BodyBudgetError,
  BodyTimeoutError,
  BodyTooLargeError,
  bodyLimitOf,
  closeUnread,
  contentCodingRefusal,
  withBodyWithin,
} from './body-limit.ts';
import { type CallError, callPaths, trpcErrorResponse } from './trpc-error-response.ts';

/** Endpoint and peer address of a `/trpc` request (as in trpc.ts's RequestInfo). */
export interface IntakeInfo {
  request: Request;
  ip: string | null;
  endpoint: string;
}

export interface Admitted {
  request: Request;
  auth?: RequestAuth;
  admission?: Admission;
}

/** Every procedure by its dotted path (`predictions.submitBulk`). */
const PROCEDURES: Record<string, unknown> = appRouter._def.procedures;

/** The procedure's meta; null for a path that names none (an own key: never `constructor` & co). */
function metaAt(path: string): Meta | null {
  if (!Object.hasOwn(PROCEDURES, path)) return null;
  return (PROCEDURES[path] as { _def?: { meta?: Meta } })._def?.meta ?? {};
}

/** True for a path that names a mutation: those are audited, refused or not. */
function isMutation(path: string): boolean {
  if (!Object.hasOwn(PROCEDURES, path)) return false;
  return (PROCEDURES[path] as { _def?: { type?: string } })._def?.type === 'mutation';
}

/** Audits each refused mutation of the request (audit/refusals.ts coalesces a flood). */
function auditRefused(
  services: Services,
  info: IntakeInfo,
  auth: RequestAuth | undefined,
  refusalAt: (index: number) => Refusal | null,
) {
  const principal = auth?.principal ?? null;
  const ip = requestIp(services, info.request, info.ip);
  callPaths(info.request.url, info.endpoint).paths.forEach((path, i) => {
    const refused = refusalAt(i);
    if (refused && isMutation(path))
      noteRefusal(services, { principal, ip, action: path, refused });
  });
}

/** Methods whose body tRPC never reads. */
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The methods `/trpc` answers: a query's GET (HEAD is its GET), a mutation's POST. */
const TRPC_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Any other method (OPTIONS that is no CORS preflight, PUT, DELETE, …) is a 405 with `Allow`, as REST
 * answers it: tRPC itself checks the content type first, answering 415 "Missing content-type header".
 */
function methodNotAllowed(info: IntakeInfo): Response {
  const { method, url } = info.request;
  const types = new Set(
    callPaths(url, info.endpoint).paths.map((path) =>
      Object.hasOwn(PROCEDURES, path) ? (isMutation(path) ? 'mutation' : 'query') : 'unknown',
    ),
  );
  const allow =
    types.size === 1 && types.has('query')
      ? 'GET, HEAD'
      : types.size === 1 && types.has('mutation')
        ? 'POST'
        : 'GET, HEAD, POST';
  const headers = new Headers({ allow });
  if (closeUnread(info.request)) headers.set('connection', 'close');
  return trpcErrorResponse(url, info.endpoint, {
    headers,
    errorOf: () => ({
      code: 'METHOD_NOT_SUPPORTED',
      httpStatus: 405,
      message: `${method} is not supported here: a query takes GET, a mutation POST (allowed: ${allow})`,
    }),
  });
}

function refusal(outcome: CheckOutcome | undefined): CallError {
  if (outcome?.unavailable) {
    const message = 'rate limiter unavailable; try again shortly';
    return { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, message };
  }
  const refused = outcome?.refused;
  const message = refused
    ? `rate limit exceeded (${refused.policy.limit} per ${refused.policy.windowSeconds} s); retry in ${refused.result.retryAfterSeconds} s`
    : 'rate limit exceeded';
  return { code: 'TOO_MANY_REQUESTS', httpStatus: 429, message };
}

/** An answer sent without (all of) the body, with the rate-limit headers counted. */
function earlyAnswer(
  info: IntakeInfo,
  admission: Admission | undefined,
  options: {
    close: boolean;
    retryAfter?: number;
    errorOf: (path: string, index: number) => CallError;
  },
): Response {
  const { errorOf } = options;
  const headers = new Headers();
  if (options.close) headers.set('connection', 'close');
  if (options.retryAfter) headers.set('retry-after', String(options.retryAfter));
  for (const outcome of admission?.all() ?? [])
    for (const result of outcome.results) applyRateLimitHeaders(headers, result);
  return trpcErrorResponse(info.request.url, info.endpoint, { errorOf, headers });
}

/** The request ready for tRPC, or the answer to send instead (429, 415, 413, 408, 503, 400). */
export async function intake(services: Services, info: IntakeInfo): Promise<Admitted | Response> {
  const { request } = info;
  if (!TRPC_METHODS.has(request.method)) return methodNotAllowed(info);
  if (BODILESS.has(request.method)) return { request };
  const paths = callPaths(request.url, info.endpoint).paths;
  const metas = paths.map(metaAt);

  let auth: RequestAuth | undefined;
  let admission: Admission | undefined;
  try {
    auth = await authenticateRequest(services, request.headers);
    const caller = { principal: auth.principal, ip: requestIp(services, request, info.ip) };
    const calls = paths.flatMap((path, i) => {
      const meta = metas[i];
      return meta ? [{ path, preset: meta.rateLimit ?? 'default' }] : [];
    });
    admission = await admit(services, caller, calls);
    if (calls.length === paths.length && admission.nothingAdmitted) {
      const outcomes = admission.all();
      const close = closeUnread(request);
      auditRefused(services, info, auth, (i) => (outcomes[i]?.refused ? 'rate_limited' : null));
      return earlyAnswer(info, admission, { close, errorOf: (_, i) => refusal(outcomes[i]) });
    }
  } catch {
    // An unexpected fault (the database behind API keys, say): tRPC's own context fails the request
    // the usual way, counting the rate limit itself.
  }

  const coded = contentCodingRefusal(request);
  if (coded) {
    auditRefused(services, info, auth, () => 'unsupported_media_type');
    const refused: CallError = { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415, message: coded };
    return earlyAnswer(info, admission, { close: closeUnread(request), errorOf: () => refused });
  }
  const authenticated = Boolean(auth?.principal);
  const limit = Math.max(...metas.map((meta) => bodyLimitOf(meta?.bodyLimit, authenticated)));
  const bodyIntake = bodyIntakeOf(services.config.bodyIntake, BODY_LIMITS.default);
  try {
    return { request: await withBodyWithin(request, limit, bodyIntake), auth, admission };
  } catch (error) {
    const refused = bodyError(error);
    const reason = error instanceof BodyTooLargeError ? 'body_too_large' : 'unreadable';
    auditRefused(services, info, auth, () => reason);
    const retryAfter = error instanceof BodyBudgetError ? BODY_BUDGET_RETRY_AFTER_SECONDS : 0;
    const close = closeUnread(request);
    return earlyAnswer(info, admission, { close, retryAfter, errorOf: () => refused });
  }
}

/** The error for a body that was not read: too large 413, too slow 408, no budget 503, else 400. */
function bodyError(error: unknown): CallError {
  if (error instanceof BodyTooLargeError)
    return { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, message: error.message };
  if (error instanceof BodyTimeoutError)
    return { code: 'TIMEOUT', httpStatus: 408, message: error.message };
  if (error instanceof BodyBudgetError)
    return { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, message: error.message };
  return { code: 'BAD_REQUEST', httpStatus: 400, message: 'the request body could not be read' };
}
