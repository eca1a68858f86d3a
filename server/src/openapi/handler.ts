/**
 * Serves the REST bridge (`/api/v1/*`): the operations the OpenAPI document lists, each calling its
 * tRPC procedure through a server-side caller with the same context `/trpc` builds — so
 * authentication, access checks, rate limits and audit are the procedure's own, identical on both.
 *
 * trpc-to-openapi generates the document (document.ts); requests are served here rather than by its
 * fetch adapter, which regenerates the whole document on every request and sets `coerce` on the
 * procedures' own input schemas, changing what /trpc accepts (see rest-input.ts).
 *
 * A request with a body is rate-limited before the body is read, and the body is read under its
 * procedure's limit (1 MiB; 32 MiB for the bulk submission; see http/body-limit.ts).
 *
 * Answers: plain JSON (dates as ISO strings); errors as `{ code, message, issues? }` only; public GETs
 * get the same edge-cache policy and ETag/304 handling as on /trpc; everything else `no-store`.
 */
import { type AnyRouter, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { noteRefusal, type Refusal } from '../audit/refusals.ts';
import {
  authenticateRequest,
  createRequestContext,
  type RequestAuth,
  requestIp,
} from '../auth/request-context.ts';
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
  closeUnread,
  readBodyWithin,
} from '../http/body-limit.ts';
import { DATABASE_UNAVAILABLE_MESSAGE, databaseRetryAfter } from '../http/database-unavailable.ts';
import { cacheControlFor, etagMatches, etagOf, isPublic, notModified } from '../http/edge-cache.ts';
import { type Admission, admit } from '../rate-limit/admission.ts';
import { settle } from '../rate-limit/checks.ts';
import type { Services } from '../services.ts';
import { clientMessage } from '../trpc/client-message.ts';
import type { Context } from '../trpc/context.ts';
import { createCallerFactory, type Meta } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { API_V1 } from './document.ts';
import type { RestError } from './errors.ts';
import { restOperations } from './operations.ts';
import { restInput } from './rest-input.ts';
import { REST_PATHS, type RestPath } from './rest-paths.ts';
import { compileRoutes } from './rest-routes.ts';
import { restView } from './rest-view.ts';

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

export interface RestHandlerOptions {
  /** Defaults to the app's root router. */
  router?: AnyRouter;
  /** Defaults to REST_PATHS. */
  paths?: Record<string, RestPath>;
  /** Defaults to `requestContext(services)`. */
  createContext?: RestContextFactory;
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

interface ProcedureLike {
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

class RestRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The body as JSON, read under `limit` bytes (413 as soon as it is known to be over). */
async function readJsonBody(request: Request, limit: number, intake: BodyIntake): Promise<unknown> {
  if (!request.headers.get('content-type')?.toLowerCase().includes('application/json')) {
    throw new RestRequestError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the body as JSON with content-type: application/json',
    );
  }
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

function jsonResponse(status: number, body: unknown, headers: Headers): Response {
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(body ?? null), { status, headers });
}

/** A thrown value as the documented error body and its status; server faults say nothing more. */
function toRestError(cause: unknown): { status: number; body: RestError } {
  if (cause instanceof RestRequestError)
    return { status: cause.status, body: { code: cause.code, message: cause.message } };
  if (databaseRetryAfter(cause) !== null)
    return {
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE },
    };
  const error =
    cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
  const status = getHTTPStatusCodeFromError(error);
  if (error.code === 'INTERNAL_SERVER_ERROR')
    return { status, body: { code: error.code, message: 'internal error' } };
  if (error.code === 'BAD_REQUEST' && error.cause instanceof z.ZodError) {
    const message = error.message.startsWith('[') ? 'Input validation failed' : error.message;
    return { status, body: { code: error.code, message, issues: error.cause.issues } };
  }
  return { status, body: { code: error.code, message: clientMessage(error, error.message) } };
}

export function createRestHandler(services: Services, options: RestHandlerOptions = {}) {
  const router = options.router ?? appRouter;
  const view = restView(router, options.paths ?? REST_PATHS);
  const createContext = options.createContext ?? requestContext(services);
  const routes = compileRoutes(restOperations(view));
  const procedures = view._def.procedures as Record<string, ProcedureLike>;
  const callerFactory = createCallerFactory(router as never) as (ctx: Context) => unknown;

  return async function handleRest(request: Request, ip: string | null): Promise<Response> {
    const resHeaders = new Headers();
    const url = new URL(request.url);
    const path = url.pathname.slice(API_V1.length) || '/';
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    let procedurePath: string | undefined;
    let bodyRead = false;
    try {
      const found = routes.match(method, path);
      if (!found) throw new RestRequestError(404, 'NOT_FOUND', `no operation ${method} ${path}`);
      if ('allowed' in found) {
        throw new RestRequestError(
          405,
          'METHOD_NOT_SUPPORTED',
          `${path} supports ${found.allowed.join(', ')}`,
          { allow: found.allowed.join(', ') },
        );
      }
      const { operation, pathParams } = found;
      procedurePath = operation.procedure;
      const usesBody = BODY_METHODS.has(operation.method);
      const procedure = procedures[operation.procedure];
      const meta = procedure?._def.meta;
      const mutation = operation.type === 'mutation';
      const call = { path: procedurePath, meta, mutation };
      const admitted = usesBody
        ? await admitCall(services, { request, ip, resHeaders }, call)
        : undefined;
      const limit = bodyLimitOf(meta?.bodyLimit, Boolean(admitted?.auth.principal));
      const intake = bodyIntakeOf(services.config.bodyIntake, BODY_LIMITS.default);
      const body = usesBody
        ? await readJsonBody(request, limit, intake).catch((error: unknown) => {
            if (mutation) {
              const principal = admitted?.auth.principal ?? null;
              const caller = { principal, ip: requestIp(services, request, ip) };
              noteRefusal(services, { ...caller, action: call.path, refused: bodyRefusal(error) });
            }
            throw error;
          })
        : undefined;
      bodyRead = true;
      const input = restInput({
        schemas: procedure?._def.inputs ?? [],
        pathParams,
        query: url.searchParams,
        body,
        usesBody,
      });
      const ctx = await createContext({ request, ip, resHeaders, ...admitted });
      const data = await callerAt(callerFactory(ctx), operation.procedure)(input);

      const cacheControl = cacheControlFor(request, {
        info: { calls: [{ procedure: procedure as never }] },
        type: operation.type,
        errors: [],
        eagerGeneration: false,
      });
      resHeaders.set('cache-control', cacheControl);
      const text = JSON.stringify(data ?? null);
      if (isPublic(cacheControl)) {
        const etag = etagOf(new TextEncoder().encode(text));
        resHeaders.set('etag', etag);
        if (etagMatches(request.headers.get('if-none-match'), etag)) return notModified(resHeaders);
      }
      resHeaders.set('content-type', 'application/json');
      return new Response(request.method === 'HEAD' ? null : text, {
        status: 200,
        headers: resHeaders,
      });
    } catch (cause) {
      const { status, body } = toRestError(cause);
      const retryAfter = databaseRetryAfter(cause);
      if (retryAfter !== null) resHeaders.set('retry-after', String(retryAfter));
      // An unreachable database is logged once by the pool, not per request.
      else if (status >= 500 && !(cause instanceof RestRequestError)) {
        services.logger.error('REST operation failed', {
          path: procedurePath ?? path,
          error: cause instanceof Error ? (cause.cause ?? cause).toString() : String(cause),
        });
      }
      if (cause instanceof RestRequestError)
        for (const [name, value] of Object.entries(cause.headers)) resHeaders.set(name, value);
      // Answered with (part of) the body unread: close rather than read the rest (body-limit.ts).
      if (status === 413 || (!bodyRead && closeUnread(request)))
        resHeaders.set('connection', 'close');
      resHeaders.set('cache-control', 'no-store');
      return jsonResponse(status, body, resHeaders);
    }
  };
}
