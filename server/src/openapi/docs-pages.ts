/**
 * The API reference pages, Swagger UI at /api/docs and ReDoc at /api/redoc, both rendering
 * /api/openapi.json. Their scripts and styles are served from the npm packages (swagger-ui-dist,
 * redoc's standalone bundle), so the pages work without any CDN or outside network. The bundles
 * (1–1.4 MB) are compressed once per process, br and gzip, on first use.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { StaticAsset } from '../http/static-asset.ts';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const REDOC_DIR = path.join(path.dirname(require.resolve('redoc/package.json')), 'bundles');

export const DOCS_PATHS = {
  document: '/api/openapi.json',
  swagger: '/api/docs',
  redoc: '/api/redoc',
} as const;

/** The only files served from each package (never a path taken from the request). */
const ASSETS: Record<string, string> = {
  [`${DOCS_PATHS.swagger}/swagger-ui.css`]: path.join(SWAGGER_DIR, 'swagger-ui.css'),
  [`${DOCS_PATHS.swagger}/swagger-ui-bundle.js`]: path.join(SWAGGER_DIR, 'swagger-ui-bundle.js'),
  [`${DOCS_PATHS.swagger}/favicon-32x32.png`]: path.join(SWAGGER_DIR, 'favicon-32x32.png'),
  [`${DOCS_PATHS.redoc}/redoc.standalone.js`]: path.join(REDOC_DIR, 'redoc.standalone.js'),
};

const TITLE = 'F1 Analytics API';

const SWAGGER_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${TITLE} — Swagger UI</title>
  <link rel="stylesheet" href="${DOCS_PATHS.swagger}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATHS.swagger}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATHS.swagger}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATHS.swagger}/init.js"></script>
</body>
</html>
`;

// validatorUrl: null — Swagger UI otherwise sends the document to an outside validator service.
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(DOCS_PATHS.document)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  validatorUrl: null,
});
`;

const REDOC_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${TITLE} — ReDoc</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="${DOCS_PATHS.document}"></redoc>
  <script src="${DOCS_PATHS.redoc}/redoc.standalone.js"></script>
</body>
</html>
`;

/**
 * The pages may load from this server only. Besides hardening, this keeps them off the network:
 * ReDoc's sidebar otherwise fetches its vendor's logo from a CDN. Both renderers inject inline styles;
 * ReDoc runs its search index in a blob: worker.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

const text = (body: string, type: string, csp = false) =>
  new Response(body, {
    headers: {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-cache',
      ...(csp ? { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' } : {}),
    },
  });

export const swaggerPage = () => text(SWAGGER_HTML, 'text/html', true);
export const swaggerInit = () => text(SWAGGER_INIT, 'text/javascript');
export const redocPage = () => text(REDOC_HTML, 'text/html', true);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

/** Each asset read and compressed (br, gzip) once, on first use: http/static-asset.ts. */
const SERVED = new Map(
  Object.entries(ASSETS).map(([urlPath, file]) => [
    urlPath,
    new StaticAsset(async () => new Uint8Array(await Bun.file(file).arrayBuffer()), {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=86400',
    }),
  ]),
);

/**
 * A packaged asset by its URL path (the answer to `request`, compressed as the client accepts), or
 * null. Versioned with the package, so cacheable for a day.
 */
export function docsAsset(urlPath: string, request: Request): Promise<Response> | null {
  return SERVED.get(urlPath)?.respond(request) ?? null;
}

export const ASSET_PATHS = Object.keys(ASSETS);
