/**
 * The dashboard's static assets: the client script (client/main.ts, bundled once with Bun.build on
 * first use, uPlot included) and the stylesheet (uPlot's plus ours), each served under a
 * content-hashed URL with a year's immutable cache by the server's one static-asset responder
 * (http/static-asset.ts: an ETag, 304, br/gzip compressed once per encoding on first request).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { StaticAsset } from '../http/static-asset.ts';
import { DASHBOARD_CSS } from './styles.ts';

export const ASSET_PREFIX = '/dashboard/assets';

export interface Asset {
  /** The URL it is served at, e.g. /dashboard/assets/app.3f2a…js. */
  url: string;
  identity: Uint8Array;
  served: StaticAsset;
}

export interface DashboardAssets {
  script: Asset;
  style: Asset;
  /** Milliseconds the bundle took. */
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
    identity: body,
    served: new StaticAsset(() => body, {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
    }),
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
