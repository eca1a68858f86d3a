/**
 * Mounts the OpenAPI bridge on the app: the REST API under /api/v1, its document at
 * /api/openapi.json, and the reference pages at /api/docs (Swagger UI) and /api/redoc (ReDoc). The
 * document and the pages' bundles are compressed once (br, gzip) for clients that accept it.
 */
import { Elysia } from 'elysia';
import serverPackage from '../../package.json' with { type: 'json' };
import { StaticAsset } from '../http/static-asset.ts';
import type { Services } from '../services.ts';
import { DOCS_PATHS, docsAsset, redocPage, swaggerInit, swaggerPage } from './docs-pages.ts';
import { openApiJson } from './document.ts';
import { jsonError } from './errors.ts';
import { restRoutes } from './rest-routes.ts';

const notFound = () => jsonError(404, { code: 'NOT_FOUND', message: 'no such route' });

export function openApiRoutes(services: Services) {
  // Generated now, so a procedure the document cannot describe fails start-up, not the docs page.
  openApiJson(serverPackage.version);
  // Its bytes, ETag and compressed variants are made once (http/static-asset.ts).
  const document = new StaticAsset(
    () => new TextEncoder().encode(openApiJson(serverPackage.version)),
    { 'content-type': 'application/json', 'cache-control': 'no-cache' },
  );
  return new Elysia({ name: 'openapi' })
    .get(DOCS_PATHS.document, ({ request }) => document.respond(request))
    .get(DOCS_PATHS.swagger, swaggerPage)
    .get(`${DOCS_PATHS.swagger}/init.js`, swaggerInit)
    .get(`${DOCS_PATHS.swagger}/*`, ({ path, request }) => docsAsset(path, request) ?? notFound())
    .get(DOCS_PATHS.redoc, redocPage)
    .get(`${DOCS_PATHS.redoc}/*`, ({ path, request }) => docsAsset(path, request) ?? notFound())
    .use(restRoutes(services));
}
