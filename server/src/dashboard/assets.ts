/**
 * The dashboard's static assets: the client script (client/main.ts, bundled once with Bun.build on
 * first use, uPlot included) and the stylesheet (uPlot's plus ours). Each is precompressed once
 * (brotli and gzip, node:zlib) and served under a content-hashed URL with a strong ETag: a year's
 * immutable cache, a 304 on a matching If-None-Match, the best encoding the client accepts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Encoding, encodedEtag, negotiateEncoding } from '../http/compression.ts';
import { etagMatches } from '../http/edge-cache.ts';
import { DASHBOARD_CSS } from './styles.ts';

export const ASSET_PREFIX = '/dashboard/assets';

export interface Asset {
  /** The URL it is served at, e.g. /dashboard/assets/app.3f2a…js. */
  url: string;
  type: string;
  etag: string;
  identity: Uint8Array;
  br: Uint8Array;
  gzip: Uint8Array;
}

export interface DashboardAssets {
  script: Asset;
  style: Asset;
  /** Milliseconds the bundle and the compression took (reported at start-up). */
  buildMs: number;
}

const require = createRequire(import.meta.url);
const UPLOT_CSS = path.join(
  path.dirname(require.resolve('uplot/package.json')),
  'dist/uPlot.min.css',
);
const CLIENT_ENTRY = path.join(import.meta.dir, 'client/main.ts');

function asset(name: string, ext: string, type: string, body: Uint8Array): Asset {
  const hash = new Bun.CryptoHasher('sha256').update(body).digest('hex').slice(0, 16);
  return {
    url: `${ASSET_PREFIX}/${name}.${hash}.${ext}`,
    type,
    // Of the identity bytes; each encoding's is derived from it (encodedEtag).
    etag: `W/"${hash}"`,
    identity: body,
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(body, { level: 9 }),
  };
}

async function build(): Promise<DashboardAssets> {
  const started = performance.now();
  const result = await Bun.build({
    entrypoints: [CLIENT_ENTRY],
    target: 'browser',
    format: 'esm',
    minify: true,
  });
  const output = result.outputs[0];
  if (!result.success || !output) {
    throw new Error(`dashboard bundle failed: ${result.logs.map(String).join('; ')}`);
  }
  const js = new Uint8Array(await output.arrayBuffer());
  const css = new TextEncoder().encode(`${await Bun.file(UPLOT_CSS).text()}\n${DASHBOARD_CSS}`);
  return {
    script: asset('app', 'js', 'text/javascript; charset=utf-8', js),
    style: asset('app', 'css', 'text/css; charset=utf-8', css),
    buildMs: performance.now() - started,
  };
}

let built: Promise<DashboardAssets> | null = null;

/** The assets, built on the first call (concurrent first calls share one build). */
export function dashboardAssets(): Promise<DashboardAssets> {
  built ??= build().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

/**
 * The encoding to send for `accept-encoding`: the server-wide negotiation (http/compression.ts), so
 * q-values rank (`br;q=0.5, gzip` is gzip), `identity` weighed higher gets the plain bytes, `x-gzip`
 * counts as gzip and a weight that is not a number refuses its coding.
 */
export const preferredEncoding = (accept: string | null): Encoding | null =>
  negotiateEncoding(accept);

/**
 * The response for one asset: the best encoding the client accepts, with that variant's own ETag
 * (`W/"<hash>-br"`: a 304 is per variant, as for every other compressed answer), or 304 when the
 * client holds that variant.
 */
export function serveAsset(asset: Asset, request: Request): Response {
  const encoding = preferredEncoding(request.headers.get('accept-encoding'));
  const etag = encodedEtag(asset.etag, encoding);
  const headers = new Headers({
    'content-type': asset.type,
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  });
  if (etagMatches(request.headers.get('if-none-match'), etag)) {
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }
  if (encoding) headers.set('content-encoding', encoding);
  const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity;
  return new Response(body, { headers });
}
