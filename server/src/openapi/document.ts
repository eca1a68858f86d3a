/**
 * The OpenAPI 3.1 document for the REST bridge, generated from the router by trpc-to-openapi and then
 * made to tell the truth about what the server enforces:
 * - security comes from each procedure's access level (`meta.access`, the rule tRPC enforces), not
 *   from trpc-to-openapi's `protect` flag: public operations have none, every other one accepts a
 *   bearer access token or an API key;
 * - every operation is rate-limited: `RateLimit-*` headers on answers, 429 with `Retry-After`;
 * - every error has the one shape the bridge answers with (`Error`: code, message, issues).
 * The Ergast-compatible facade (`/ergast/f1`, `/api/f1`) is one more tagged group (ergast/openapi.ts).
 */
import type { AnyRouter } from '@trpc/server';
import { generateOpenApiDocument, type OpenAPIObject, type OpenApiRouter } from 'trpc-to-openapi';
import { ERGAST_TAG, ergastPaths, ergastSchemas } from '../ergast/openapi.ts';
import { appRouter } from '../trpc/router.ts';
import { ERROR_RESPONSES, type ErrorStatus, errorComponents, isErrorStatus } from './errors.ts';
import { type RestOperation, restOperations } from './operations.ts';

export const API_V1 = '/api/v1';

type Paths = NonNullable<OpenAPIObject['paths']>;
type PathItem = Paths[string];
type Operation = NonNullable<PathItem['get']>;
type Responses = NonNullable<Operation['responses']>;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token from `POST /api/v1/auth/login` (refresh it with `POST /api/v1/auth/refresh`). ' +
      'An API key is also accepted as a bearer token.',
  },
  apiKeyAuth: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An API key (for ML services and other machine clients).',
  },
} as const;

const DESCRIPTION = `REST access to the F1 Analytics API: the same procedures as the typed tRPC API at \`/trpc\` (and its SDK, \`@f1-analytics/sdk\`), with plain JSON (dates as ISO 8601 strings).

**Authentication.** Public reads need none (credentials, when sent, choose the rate-limit bucket). Other operations take either \`Authorization: Bearer <access token>\` or \`X-API-Key: <key>\` (not both).

**Rate limits.** Every call counts against a per-principal budget (by user, API key, or client IP when anonymous). Answers carry \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`; a refused call gets **429** with \`Retry-After\` (seconds).

**Errors.** Every error is \`{ "code": "BAD_REQUEST", "message": "…", "issues": [ … ] }\`: \`code\` is stable and machine-readable, \`issues\` lists invalid input fields (zod issues, with their \`path\`).`;

const TAG_DESCRIPTIONS: Record<string, string> = {
  health: 'Service status.',
  drivers: 'Drivers and their results. Ids are the source’s stable ids (`max_verstappen`).',
  teams: 'Constructors.',
  circuits: 'Circuits.',
  races: 'The calendar, and each race’s results, qualifying, sprint and weather.',
  standings: 'Championship standings after any round.',
  predictions: 'Model predictions: ML services submit, anyone reads.',
  accuracy: 'How well each model predicted, against the results.',
  ratings: 'ELO ratings of drivers and teams.',
  auth: 'Accounts, sessions and tokens.',
  'api-keys': 'API keys for machine clients (ML services).',
  admin: 'Administration: users, ingestion runs, the audit log (role admin).',
};

/** Tags in the reading order of TAG_DESCRIPTIONS, then any others alphabetically. */
function orderedTags(operations: RestOperation[]): string[] {
  const known = Object.keys(TAG_DESCRIPTIONS);
  const rank = (tag: string) => (known.includes(tag) ? known.indexOf(tag) : known.length);
  return [...new Set(operations.flatMap((op) => op.tags))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

/** Generates the document (pure: same router, same document). */
export function buildOpenApiDocument(
  version: string,
  router: AnyRouter = appRouter,
): OpenAPIObject {
  const operations = restOperations(router);
  // `Meta` is trpc-to-openapi's meta written out without zod (meta.ts; meta.test.ts checks it).
  const document = generateOpenApiDocument(router as OpenApiRouter, {
    title: 'F1 Analytics API',
    description: DESCRIPTION,
    version,
    baseUrl: API_V1,
    securitySchemes: { ...SECURITY_SCHEMES },
    tags: orderedTags(operations),
  });
  document.tags = [
    ...orderedTags(operations).map((name) => ({
      name,
      ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
    })),
    ...(router === appRouter ? [ERGAST_TAG] : []),
  ];
  const byRoute = new Map(operations.map((op) => [`${op.method} ${op.path}`, op]));
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      const source = byRoute.get(`${method.toUpperCase()} ${path}`);
      if (operation && source) describeOperation(operation, source);
    }
  }
  const components = document.components ?? {};
  const generatedErrors = Object.keys(components.schemas ?? {}).filter((k) =>
    k.startsWith('error.'),
  );
  for (const name of generatedErrors) delete components.schemas?.[name];
  const ours = errorComponents();
  const ergast = router === appRouter;
  if (ergast) document.paths = { ...document.paths, ...ergastPaths() };
  document.components = {
    ...components,
    schemas: { ...components.schemas, ...ours.schemas, ...(ergast ? ergastSchemas() : {}) },
    responses: { ...components.responses, ...ours.responses },
    headers: { ...components.headers, ...ours.headers },
  };
  return document;
}

function describeOperation(operation: Operation, source: RestOperation): void {
  // Public operations take credentials too (they choose the rate-limit bucket): `{}` = anonymous.
  operation.security =
    source.access === 'public'
      ? [{}, { bearerAuth: [] }, { apiKeyAuth: [] }]
      : [{ bearerAuth: [] }, { apiKeyAuth: [] }];
  const statuses = new Set<ErrorStatus>();
  if (source.hasInput) statuses.add(400);
  if (source.access !== 'public') statuses.add(401).add(403);
  if (source.hasPathParameters) statuses.add(404);
  for (const status of source.errorResponses) if (isErrorStatus(status)) statuses.add(status);
  // Every operation reads the database: 503 + Retry-After while it is unreachable.
  statuses.add(429).add(500).add(503);
  const success = operation.responses?.['200'] ?? { description: 'Successful response' };
  const responses: Responses = {
    '200': { ...success, headers: { ...RATE_LIMIT_HEADER_REFS } },
  };
  for (const status of [...statuses].sort())
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]}` };
  operation.responses = responses;
  operation['x-access'] = source.access;
}

const RATE_LIMIT_HEADER_REFS = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};

let cached: { version: string; json: string } | null = null;

/** The document as JSON text, generated once per process. */
export function openApiJson(version: string): string {
  if (cached?.version !== version)
    cached = { version, json: JSON.stringify(buildOpenApiDocument(version)) };
  return cached.json;
}
