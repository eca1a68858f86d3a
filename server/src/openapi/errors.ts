/**
 * The one error shape of the REST bridge, and the OpenAPI components that describe it.
 *
 * Every error the app answers outside the tRPC protocol — REST under /api/v1 (see handler.ts), the
 * health and docs routes, an unknown route — is `{ code, message, issues? }`: the tRPC error code, a
 * message, and for invalid input the zod issues naming the fields.
 */
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { OpenAPIObject } from 'trpc-to-openapi';

type Components = NonNullable<OpenAPIObject['components']>;
type ResponseObject = Extract<
  NonNullable<Components['responses']>[string],
  { description: string }
>;
type HeadersObject = NonNullable<ResponseObject['headers']>;
type HeaderObject = Extract<HeadersObject[string], { schema?: unknown }>;

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 429 | 500 | 503;

export const ERROR_RESPONSES: Record<ErrorStatus, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export const isErrorStatus = (status: number): status is ErrorStatus => status in ERROR_RESPONSES;

/** What a REST error body holds. */
export interface RestError {
  code: string;
  message: string;
  issues?: unknown[];
}

/** An error answer in the one shape (`no-store`: an error is never cached). */
export function jsonError(status: number, error: RestError): Response {
  return new Response(JSON.stringify(error), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/** Every code an error can carry (tRPC's; the bridge's own 405/413/415 use them too). */
const ERROR_CODES = Object.keys(TRPC_ERROR_CODES_BY_KEY);

const errorResponse = (
  description: string,
  example: RestError,
  headers?: HeadersObject,
): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } },
});

const integerHeader = (description: string): HeaderObject => ({
  description,
  schema: { type: 'integer' },
});

/** `components.schemas.Error`, `components.responses.*` and `components.headers.*`. */
export function errorComponents(): Required<Pick<Components, 'schemas' | 'responses' | 'headers'>> {
  return {
    schemas: {
      Error: {
        type: 'object',
        description: 'Every error answer has this shape.',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: ERROR_CODES, description: 'Stable, machine-readable.' },
          message: { type: 'string', description: 'For people; may change.' },
          issues: {
            type: 'array',
            description: 'Invalid input fields (on BAD_REQUEST from input validation).',
            items: {
              type: 'object',
              required: ['code', 'path', 'message'],
              properties: {
                code: { type: 'string', examples: ['too_small'] },
                path: {
                  type: 'array',
                  items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
                  examples: [['season']],
                },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
    responses: {
      BadRequest: errorResponse('Invalid input: `issues` names the fields.', {
        code: 'BAD_REQUEST',
        message: 'Input validation failed',
        issues: [
          {
            code: 'too_small',
            path: ['season'],
            message: 'Too small: expected number to be >=1950',
          },
        ],
      }),
      Unauthorized: errorResponse(
        'No credentials, or credentials that were refused (expired, revoked, unknown).',
        { code: 'UNAUTHORIZED', message: 'authentication required' },
        { 'WWW-Authenticate': { description: 'The scheme to use.', schema: { type: 'string' } } },
      ),
      Forbidden: errorResponse('Authenticated, but the role does not allow this.', {
        code: 'FORBIDDEN',
        message: 'requires the ml_service role',
      }),
      NotFound: errorResponse('No such resource.', { code: 'NOT_FOUND', message: 'Not found' }),
      TooManyRequests: errorResponse(
        'Rate limit exceeded: retry after `Retry-After` seconds.',
        { code: 'TOO_MANY_REQUESTS', message: 'rate limit exceeded' },
        {
          'Retry-After': { $ref: '#/components/headers/Retry-After' },
          'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
          'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
          'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
        },
      ),
      Conflict: errorResponse(
        'Conflicts with what is stored (e.g. an idempotency key reused with other data).',
        {
          code: 'CONFLICT',
          message: 'idempotency key already used with different predictions',
        },
      ),
      PreconditionFailed: errorResponse(
        'Not possible in the current state (e.g. live predictions after the race is frozen).',
        { code: 'PRECONDITION_FAILED', message: 'predictions for this race are frozen' },
      ),
      ServiceUnavailable: errorResponse(
        'A dependency is down (the database, or the session store); retry after `Retry-After` ' +
          'seconds when it is sent. Authentication fails closed.',
        { code: 'SERVICE_UNAVAILABLE', message: 'database unavailable; try again' },
        { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
      ),
      InternalError: errorResponse('A server fault (never caused by input).', {
        code: 'INTERNAL_SERVER_ERROR',
        message: 'internal error',
      }),
    },
    headers: {
      'RateLimit-Limit': integerHeader('Requests allowed in the current window.'),
      'RateLimit-Remaining': integerHeader('Requests left in the current window.'),
      'RateLimit-Reset': integerHeader('Seconds until the window resets.'),
      'Retry-After': integerHeader('Seconds to wait before retrying.'),
    },
  };
}
