/**
 * Serves one REST operation (`/api/v1/…`, routed by Elysia: rest-routes.ts): calls its tRPC procedure
 * through a server-side caller with the same context `/trpc` builds — so authentication, access checks,
 * rate limits and audit are the procedure's own, identical on both.
 *
 * trpc-to-openapi generates the document (document.ts); requests are served here rather than by its
 * fetch adapter, which regenerates the whole document on every request and sets `coerce` on the
 * procedures' own input schemas, changing what /trpc accepts (see rest-input.ts).
 *
 * A request with a body is rate-limited before the body is read, and the body is read under its
 * procedure's limit (1 MiB; 32 MiB for the bulk submission; see http/body-limit.ts).
 *
 * Answers: plain JSON (dates as ISO strings); errors as `{ code, message, issues? }` only. Every answer
 * goes through the public-GET responder (http/public-get.ts), as on /trpc: a public GET gets its ETag
 * and 304 there, and a cacheable one is served from and stored in the response cache.
 */
import { noteRefusal, type Refusal } from '../audit/refusals.ts';
import {
  authenticateRequest,
  createRequestContext,
  type RequestAuth,
  requestIp,
} from '../auth/request-context.ts';
import { attachTrace, type RequestTrace } from '../cache/request-trace.ts';
import {
  BODY_BUDGET_RETRY_AFTER_SECONDS,
  type BodyIntake,
  bodyIntakeOf,
} from '../http/body-budget.ts';
import {
  BODY_LIMITS,
  BodyBudgetError,
  BodyTimeoutError,
  BodyTooLargeError,
  bodyLimitOf,
  contentCodingRefusal,
  readBodyWithin,
} from '../http/body-limit.ts';
import { cacheControlFor } from '../http/edge-cache.ts';
import { type Answer, asGet, publicGetKey, respondPublic } from '../http/public-get.ts';
import { type Admission, admit } from '../rate-limit/admission.ts';
import { callerChecks, runChecks, settle } from '../rate-limit/checks.ts';
import type { HttpGateResult } from '../rate-limit/http-gate.ts';
import type { Services } from '../services.ts';
import type { Context, Principal } from '../trpc/context.ts';
import type { Meta } from '../trpc/init.ts';
import type { RestOperation } from './operations.ts';
import { RestRequestError, restErrorResponse } from './rest-answer.ts';
import { restInput } from './rest-input.ts';

/**
 * What a context is built from: the original request, the peer address, the response headers, and —
 * for a request with a body — the authentication and rate limits taken before the body was read.
 */
export interface RestRequestInfo {
  request: Request;
  ip: string | null;
  resHeaders: Headers;
  auth?: RequestAuth;
  admission?: Admission;
}

export type RestContextFactory = (info: RestRequestInfo) => Context | Promise<Context>;

/** The context `/trpc` builds for a request, so both entry points authenticate alike. */
export function requestContext(services: Services): RestContextFactory {
  return (info) => createRequestContext(services, info);
}

/**
 * Counts the call's rate limit before its body is read (rate-limit/admission.ts): a refused call throws
 * its 429 (or 503) here, with nothing read.
 */
async function admitCall(
  services: Services,
  info: { request: Request; ip: string | null; resHeaders: Headers },
  call: { path: string; meta: Meta | undefined; mutation: boolean },
): Promise<{ auth: RequestAuth; admission: Admission }> {
  const auth = await authenticateRequest(services, info.request.headers);
  const caller = { principal: auth.principal, ip: requestIp(services, info.request, info.ip) };
  const preset = call.meta?.rateLimit ?? 'default';
  const admission = await admit(services, caller, [{ path: call.path, preset }]);
  const [outcome] = admission.all();
  if (outcome && admission.nothingAdmitted) {
    // A refused mutation is audited like any other (coalesced: audit/refusals.ts).
    if (outcome.refused && call.mutation)
      noteRefusal(services, { ...caller, action: call.path, refused: 'rate_limited' });
    settle(outcome, info.resHeaders);
  }
  return { auth, admission };
}

/** The audit marker for a body refused before it was parsed (readJsonBody's errors). */
function bodyRefusal(error: unknown): Refusal {
  const status = error instanceof RestRequestError ? error.status : 400;
  if (status === 413) return 'body_too_large';
  return status === 415 ? 'unsupported_media_type' : 'unreadable';
}

export interface ProcedureLike {
  _def: { inputs: unknown[]; meta?: Meta };
}

type Call = (input: unknown) => Promise<unknown>;

/** The caller function at `path` (`drivers.get`) of a server-side caller. */
function callerAt(caller: unknown, path: string): Call {
  let node: unknown = caller;
  for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
  if (typeof node !== 'function') throw new Error(`no procedure at ${path}`);
  return node as Call;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const ENCODER = new TextEncoder();

/** The body as JSON, read under `limit` bytes (413 as soon as it is known to be over). */
async function readJsonBody(request: Request, limit: number, intake: BodyIntake): Promise<unknown> {
  if (!request.headers.get('content-type')?.toLowerCase().includes('application/json')) {
    throw new RestRequestError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the body as JSON with content-type: application/json',
    );
  }
  const coded = contentCodingRefusal(request);
  if (coded) throw new RestRequestError(415, 'UNSUPPORTED_MEDIA_TYPE', coded);
  const bytes = await readBodyWithin(request, limit, intake).catch((error: unknown) => {
    if (error instanceof BodyTooLargeError)
      throw new RestRequestError(413, 'PAYLOAD_TOO_LARGE', error.message);
    if (error instanceof BodyTimeoutError)
      throw new RestRequestError(408, 'TIMEOUT', error.message);
    if (error instanceof BodyBudgetError) {
      const retryAfter = { 'retry-after': String(BODY_BUDGET_RETRY_AFTER_SECONDS) };
      throw new RestRequestError(503, 'SERVICE_UNAVAILABLE', error.message, retryAfter);
    }
    throw new RestRequestError(400, 'BAD_REQUEST', 'the request body could not be read');
  });
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RestRequestError(400, 'PARSE_ERROR', 'the body is not valid JSON');
  }
}

/** What serving one operation needs besides the request. */
export interface OperationDeps {
  services: Services;
  operation: RestOperation;
  procedure: ProcedureLike | undefined;
  createContext: RestContextFactory;
  /** A server-side caller of the router the operation belongs to. */
  callerFactory: (ctx: Context) => unknown;
}

/**
 * The rate limit of an answer served from the response cache (it never reaches the procedure, whose
 * middleware counts it otherwise): the same checks for the same caller (the principal, or the client
 * IP), and the same 429.
 */
async function cachedAnswerGate(
  deps: OperationDeps,
  request: Request,
  caller: { ip: string | null; principal: Principal | null },
): Promise<HttpGateResult> {
  const { services, operation } = deps;
  const resHeaders = new Headers();
  try {
    const { principal } = caller;
    const subject = { principal, ip: requestIp(services, request, caller.ip) };
    const preset = deps.procedure?._def.meta?.rateLimit ?? 'default';
    settle(await runChecks(services, callerChecks(services, subject, preset)), resHeaders);
    return [...resHeaders];
  } catch (cause) {
    const context = { request, resHeaders, bodyRead: true, path: operation.procedure };
    return restErrorResponse(services, cause, context);
  }
}

/** The operation's answer to one request: input from path, query or body; the procedure's result. */
async function computeAnswer(
  deps: OperationDeps,
  call: {
    request: Request;
    ip: string | null;
    pathParams: Record<string, string>;
    auth: RequestAuth | undefined;
  },
  trace: RequestTrace,
): Promise<Response | Answer> {
  const { services, operation, procedure } = deps;
  const { request, ip } = call;
  const resHeaders = new Headers();
  attachTrace(resHeaders, trace);
  let bodyRead = false;
  try {
    const usesBody = BODY_METHODS.has(operation.method);
    const meta = procedure?._def.meta;
    const mutation = operation.type === 'mutation';
    const admitted = usesBody
      ? await admitCall(
          services,
          { request, ip, resHeaders },
          { path: operation.procedure, meta, mutation },
        )
      : undefined;
    const limit = bodyLimitOf(meta?.bodyLimit, Boolean(admitted?.auth.principal));
    const intake = bodyIntakeOf(services.config.bodyIntake, BODY_LIMITS.default);
    const body = usesBody
      ? await readJsonBody(request, limit, intake).catch((error: unknown) => {
          if (mutation) {
            const principal = admitted?.auth.principal ?? null;
            const caller = { principal, ip: requestIp(services, request, ip) };
            const refused = bodyRefusal(error);
            noteRefusal(services, { ...caller, action: operation.procedure, refused });
          }
          throw error;
        })
      : undefined;
    bodyRead = true;
    const input = restInput({
      schemas: procedure?._def.inputs ?? [],
      pathParams: call.pathParams,
      query: new URL(request.url).searchParams,
      body,
      usesBody,
    });
    const checked = call.auth ? { auth: call.auth } : {};
    const ctx = await deps.createContext({ request, ip, resHeaders, ...checked, ...admitted });
    const data = await callerAt(deps.callerFactory(ctx), operation.procedure)(input);
    const cacheControl = cacheControlFor(request, {
      info: { calls: [{ procedure: procedure as never }] },
      type: operation.type,
      errors: [],
      eagerGeneration: false,
      ctx,
    });
    resHeaders.set('cache-control', cacheControl);
    resHeaders.set('content-type', 'application/json');
    return { status: 200, headers: resHeaders, body: ENCODER.encode(JSON.stringify(data ?? null)) };
  } catch (cause) {
    const context = { request, resHeaders, bodyRead, path: operation.procedure };
    return restErrorResponse(services, cause, context);
  }
}

/**
 * The handler of one REST operation. A GET of a procedure with an edge-cache policy (`meta.cache`) is
 * cacheable: calls (anonymous, or with accepted credentials) are served from the response cache,
 * invalidated by the tags its reads depended on, exactly like the same procedure on /trpc.
 */
export function operationHandler(deps: OperationDeps) {
  const meta = deps.procedure?._def.meta;
  const cacheable =
    deps.operation.method === 'GET' && meta?.access === 'public' && Boolean(meta.cache);
  // A HEAD is answered as its GET: Elysia, which routed it here, drops the body and keeps its length.
  return (request: Request, ip: string | null, pathParams: Record<string, string>) =>
    respondPublic(deps.services, request.method === 'HEAD' ? asGet(request) : request, {
      key: (req) => (cacheable ? publicGetKey(req) : null),
      gate: (req, principal) => cachedAnswerGate(deps, req, { ip, principal }),
      compute: (req, trace, auth) =>
        computeAnswer(deps, { request: req, ip, pathParams, auth }, trace),
    });
}
