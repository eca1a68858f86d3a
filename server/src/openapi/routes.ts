/**
 * Mounts the OpenAPI bridge on the app: the REST API under /api/v1, its document at
 * /api/openapi.json, and the reference pages at /api/docs (Swagger UI) and /api/redoc (ReDoc).
 */
import { Elysia } from 'elysia';
import serverPackage from '../../package.json' with { type: 'json' };
import type { Services } from '../services.ts';
import { DOCS_PATHS, docsAsset, redocPage, swaggerInit, swaggerPage } from './docs-pages.ts';
import { openApiJson } from './document.ts';
import { jsonError } from './errors.ts';
import { restRoutes } from './rest-routes.ts';

const notFound = () => jsonError(404, { code: 'NOT_FOUND', message: 'no such route' });

export function openApiRoutes(services: Services) {
  // Generated now, so a procedure the document cannot describe fails start-up, not the docs page.
  openApiJson(serverPackage.version);
  return new Elysia({ name: 'openapi' })
    .get(
      DOCS_PATHS.document,
      () =>
        new Response(openApiJson(serverPackage.version), {
          headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
        }),
    )
    .get(DOCS_PATHS.swagger, swaggerPage)
    .get(`${DOCS_PATHS.swagger}/init.js`, swaggerInit)
    .get(`${DOCS_PATHS.swagger}/*`, ({ path }) => docsAsset(path) ?? notFound())
    .get(DOCS_PATHS.redoc, redocPage)
    .get(`${DOCS_PATHS.redoc}/*`, ({ path }) => docsAsset(path) ?? notFound())
    .use(restRoutes(services));
}
