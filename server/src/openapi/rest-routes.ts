/**
 * The REST API under /api/v1 as Elysia routes, generated at start-up from the router's `meta.openapi`
 * (operations.ts): one route per operation (`/drivers/{driverId}` → `/api/v1/drivers/:driverId`;
 * Elysia answers HEAD with the GET route), then per path one route answering every other method 405
 * with `Allow` (HEAD listed beside GET), then one catch-all answering 404. Elysia's router prefers
 * literal segments (`/races/next` before a parameter) and takes one trailing slash, as the
 * document's paths promise.
 */
import type { AnyRouter } from '@trpc/server';
import { Elysia } from 'elysia';
import type { Services } from '../services.ts';
import type { Context } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { API_V1 } from './document.ts';
import {
  operationHandler,
  type ProcedureLike,
  type RestContextFactory,
  requestContext,
} from './handler.ts';
import { type RestOperation, restOperations } from './operations.ts';
import { RestRequestError, restErrorResponse } from './rest-answer.ts';

export interface RestRoutesOptions {
  /** Defaults to the app's root router. */
  router?: AnyRouter;
  /** Defaults to `requestContext(services)`. */
  createContext?: RestContextFactory;
}

type Params = Record<string, string | null | undefined>;

/** A malformed escape (`%zz`) stays as sent, for validation to report. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path parameters of a request to `template`: Elysia's decoded values, or — where Elysia could
 * not decode a segment (it gives null) — the segment as sent.
 */
function pathParamsOf(template: string, request: Request, params: Params): Record<string, string> {
  const found: Record<string, string> = {};
  const names = template.split('/');
  let raw: string[] | undefined;
  names.forEach((segment, i) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (!name) return;
    const value = params[name];
    if (typeof value === 'string') found[name] = value;
    else {
      raw ??= new URL(request.url).pathname.slice(API_V1.length).split('/');
      found[name] = safeDecode(raw[i] ?? '');
    }
  });
  return found;
}

/** The request's path under /api/v1, and its method as matched (HEAD is GET). */
function describe(request: Request) {
  const path = new URL(request.url).pathname.slice(API_V1.length) || '/';
  return { path, method: request.method === 'HEAD' ? 'GET' : request.method };
}

function refuse(services: Services, request: Request, error: RestRequestError): Response {
  const context = {
    request,
    resHeaders: new Headers(),
    bodyRead: false,
    path: describe(request).path,
  };
  return restErrorResponse(services, error, context);
}

const elysiaPath = (path: string) => `${API_V1}${path.replace(/\{(\w+)\}/g, ':$1')}`;

export function restRoutes(services: Services, options: RestRoutesOptions = {}) {
  const router = options.router ?? appRouter;
  const createContext = options.createContext ?? requestContext(services);
  const callerFactory = createCallerFactory(router as never) as (ctx: Context) => unknown;
  const procedures = router._def.procedures as Record<string, ProcedureLike>;
  const operations = restOperations(router);
  const app = new Elysia();

  for (const operation of operations) {
    const deps = {
      services,
      operation,
      procedure: procedures[operation.procedure],
      createContext,
      callerFactory,
    };
    const handle = operationHandler(deps);
    app.route(operation.method, elysiaPath(operation.path), ({ request, server, params }) =>
      handle(
        request,
        server?.requestIP(request)?.address ?? null,
        pathParamsOf(operation.path, request, params as Params),
      ),
    );
  }

  const byPath = new Map<string, RestOperation[]>();
  for (const operation of operations)
    byPath.set(operation.path, [...(byPath.get(operation.path) ?? []), operation]);
  for (const [path, onPath] of byPath) {
    // HEAD is answered wherever GET is (Elysia runs the GET route without the body).
    const allowed = onPath
      .flatMap((o) => (o.method === 'GET' ? ['GET', 'HEAD'] : [o.method]))
      .join(', ');
    app.all(elysiaPath(path), ({ request }) => {
      const message = `${describe(request).path} supports ${allowed}`;
      const error = new RestRequestError(405, 'METHOD_NOT_SUPPORTED', message, { allow: allowed });
      return refuse(services, request, error);
    });
  }

  app.all(`${API_V1}/*`, ({ request }) => {
    const { method, path } = describe(request);
    const error = new RestRequestError(404, 'NOT_FOUND', `no operation ${method} ${path}`);
    return refuse(services, request, error);
  });
  return app;
}
