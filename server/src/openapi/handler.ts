/**
 * Serves the REST bridge (`/api/v1/*`): trpc-to-openapi's request handling, driven from a fetch
 * `Request`, calling the same procedures with the same context as `/trpc` — so authentication, access
 * checks and rate limits are identical on both.
 *
 * trpc-to-openapi's own fetch adapter builds its handler per request, and building one validates the
 * router by generating the whole OpenAPI document; here the handler is built once and this file is the
 * thin Request → handler → Response shim around it.
 */
import { TRPCError } from '@trpc/server';
import {
  createOpenApiNodeHttpHandler,
  type NodeHTTPRequest,
  type OpenApiRouter,
} from 'trpc-to-openapi';
import type { Services } from '../services.ts';
import { type Context, createContextInner } from '../trpc/context.ts';
import { API_V1, restRouter } from './document.ts';
import { toRestError } from './errors.ts';

/** Larger JSON bodies are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What a context is built from: the original request, the peer address, the response headers. */
export interface RestRequestInfo {
  request: Request;
  ip: string | null;
  resHeaders: Headers;
}

export type RestContextFactory = (info: RestRequestInfo) => Context | Promise<Context>;

/** The context `/trpc` builds for a request, so both entry points authenticate alike. */
export function requestContext(services: Services): RestContextFactory {
  return ({ request, ip, resHeaders }) =>
    createContextInner({
      services,
      ip,
      userAgent: request.headers.get('user-agent'),
      requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(),
      resHeaders,
    });
}

export interface RestHandlerOptions {
  /** Defaults to the app's root router. */
  router?: OpenApiRouter;
  /** Defaults to `requestContext(services)`. */
  createContext?: RestContextFactory;
}

interface ResponseShim {
  statusCode: number;
  setHeader(name: string, value: string | string[]): void;
  end(body?: string): void;
}

type ParsedBody = { ok: true; data: unknown } | { ok: false; cause: unknown };

async function readBody(request: Request): Promise<ParsedBody | 'too_large'> {
  if (request.method === 'GET' || request.method === 'HEAD') return { ok: true, data: undefined };
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) return 'too_large';
  if (!request.headers.get('content-type')?.includes('application/json'))
    return { ok: true, data: undefined };
  try {
    return { ok: true, data: text ? JSON.parse(text) : undefined };
  } catch (cause) {
    return { ok: false, cause };
  }
}

const json = (status: number, body: unknown, headers?: Headers) => {
  const res = new Response(JSON.stringify(body), { status, headers });
  res.headers.set('content-type', 'application/json');
  return res;
};

export function createRestHandler(services: Services, options: RestHandlerOptions = {}) {
  const createContext = options.createContext ?? requestContext(services);
  const pending = new WeakMap<object, RestRequestInfo>();
  const handle = createOpenApiNodeHttpHandler({
    router: options.router ?? restRouter,
    createContext: async ({ req }: { req: object }) => {
      const info = pending.get(req);
      if (!info) throw new Error('REST request state missing');
      return createContext(info);
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        services.logger.error('REST procedure failed', {
          path,
          error: error.cause?.message ?? error.message,
        });
      }
    },
  });

  return async function handleRest(request: Request, ip: string | null): Promise<Response> {
    const resHeaders = new Headers({ 'cache-control': 'no-store' });
    const body = await readBody(request);
    if (body === 'too_large') {
      return json(
        413,
        { code: 'PAYLOAD_TOO_LARGE', message: `request body over ${MAX_BODY_BYTES} bytes` },
        resHeaders,
      );
    }
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(API_V1.length) || '/';
    // What trpc-to-openapi reads from a request: the rewritten URL and the parsed body.
    const proxy = new Proxy(request, {
      get(target, prop) {
        if (prop === 'url') return url.toString();
        if (prop === 'body') {
          if (!body.ok)
            throw new TRPCError({
              code: 'PARSE_ERROR',
              message: 'invalid JSON body',
              cause: body.cause,
            });
          return body.data;
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    pending.set(proxy, { request, ip, resHeaders });

    const answer = await new Promise<{ status: number; headers: Headers; text: string }>(
      (resolve) => {
        const headers = new Headers();
        const res: ResponseShim = {
          statusCode: 200,
          setHeader(name, value) {
            if (typeof value === 'string') headers.set(name, value);
            else for (const v of value) headers.append(name, v);
          },
          end(text = '') {
            resolve({ status: res.statusCode, headers, text });
          },
        };
        void handle(proxy as unknown as NodeHTTPRequest, res as never);
      },
    );

    for (const [name, value] of resHeaders) answer.headers.set(name, value);
    if (answer.status < 400) return new Response(answer.text || null, answer);
    const parsed: unknown = answer.text ? JSON.parse(answer.text) : null;
    return json(answer.status, toRestError(parsed), answer.headers);
  };
}
