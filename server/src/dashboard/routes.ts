/**
 * The dashboard, served by the API server itself: `/` (the landing page), `/dashboard/seasons/:season`,
 * `/dashboard/races/:season/:round`, `/dashboard/ratings`, `/dashboard/models`, and their assets.
 * Pages are small server-rendered shells; the client script fills them from the public REST API
 * (/api/v1) and, live, from `predictions.onUpdate` (SSE). `latest` in a path redirects to the last
 * race with results.
 */
import { Elysia } from 'elysia';
import { dataHealth } from '../health.ts';
import {
  compress,
  encodedHeaders,
  negotiateEncoding,
  shouldCompress,
} from '../http/compression.ts';
import { etagMatches, etagOf } from '../http/edge-cache.ts';
import { jsonError } from '../openapi/errors.ts';
import type { Services } from '../services.ts';
import { ASSET_PREFIX, dashboardAssets } from './assets.ts';
import {
  DASHBOARD_CSP,
  EMPTY_BODY,
  LANDING_BODY,
  MODELS_BODY,
  type Page,
  RACE_BODY,
  RATINGS_BODY,
  renderPage,
  SEASON_BODY,
} from './pages.ts';

const notFound = (message: string) => jsonError(404, { code: 'NOT_FOUND', message });
const badRequest = (message: string) => jsonError(400, { code: 'BAD_REQUEST', message });

/**
 * A page shell: revalidated on every visit (no-cache), a 304 when it has not changed; br or gzip as
 * `Accept-Encoding` allows, like every other text answer of 1 KiB or more (an ETag per encoding).
 */
async function html(page: Page, request: Request, status = 200): Promise<Response> {
  const identity = new TextEncoder().encode(renderPage(page, await dashboardAssets()));
  const headers = new Headers({
    'cache-control': 'no-cache',
    etag: etagOf(identity),
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'content-type': 'text/html; charset=utf-8',
  });
  const compressible = shouldCompress(200, headers, identity.byteLength);
  const encoding = compressible ? negotiateEncoding(request.headers.get('accept-encoding')) : null;
  if (compressible) encodedHeaders(headers, encoding);
  if (status !== 200) {
    // An error page: never revalidated, never kept.
    headers.set('cache-control', 'no-store');
    headers.delete('etag');
  } else if (etagMatches(request.headers.get('if-none-match'), headers.get('etag') ?? '')) {
    headers.delete('content-type');
    headers.delete('content-encoding');
    return new Response(null, { status: 304, headers });
  }
  return new Response(encoding ? compress(identity, encoding) : identity, { status, headers });
}

/** A whole number in [min, max] from a path segment, or null. */
function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

const redirect = (location: string) =>
  new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });

export function dashboardRoutes(services: Services) {
  /** Where `latest` points: the last race with results, or null on an empty database. */
  const latest = async () => (await dataHealth(services))?.lastRace ?? null;
  /** A browser (Accept: text/html, as a followed link) gets a page saying what to do; others JSON. */
  const empty = (request: Request) =>
    request.headers.get('accept')?.includes('text/html')
      ? html({ name: 'empty', title: 'No data yet', body: EMPTY_BODY }, request, 404)
      : notFound('no race with results yet: load data first (bun run ingest bootstrap)');

  return new Elysia({ name: 'dashboard' })
    .get('/', ({ request }) =>
      html({ name: 'landing', title: 'F1 Analytics API', body: LANDING_BODY }, request),
    )
    .get('/dashboard', () => redirect('/dashboard/seasons/latest'))
    .get(`${ASSET_PREFIX}/:file`, async ({ params, request }) => {
      const assets = await dashboardAssets();
      const asset = [assets.script, assets.style].find(
        (a) => a.url === `${ASSET_PREFIX}/${params.file}`,
      );
      return asset ? asset.served.respond(request) : notFound('no such asset');
    })
    .get('/dashboard/seasons/:season', async ({ params, request }) => {
      if (params.season === 'latest') {
        const last = await latest();
        return last ? redirect(`/dashboard/seasons/${last.season}`) : empty(request);
      }
      const season = wholeNumber(params.season, 1950, 2100);
      if (season === null) return badRequest('season: must be a year from 1950 to 2100');
      return html(
        {
          name: 'season',
          title: `${season} season`,
          params: { season },
          body: SEASON_BODY,
        },
        request,
      );
    })
    .get('/dashboard/races/latest', async ({ request }) => {
      const last = await latest();
      return last ? redirect(`/dashboard/races/${last.season}/${last.round}`) : empty(request);
    })
    .get('/dashboard/races/:season/:round', ({ params, request }) => {
      const season = wholeNumber(params.season, 1950, 2100);
      if (season === null) return badRequest('season: must be a year from 1950 to 2100');
      const round = wholeNumber(params.round, 1, 99);
      if (round === null) return badRequest('round: must be a whole number from 1 to 99');
      return html(
        {
          name: 'race',
          title: `${season} round ${round}`,
          params: { season, round },
          body: RACE_BODY,
        },
        request,
      );
    })
    .get('/dashboard/ratings', ({ request }) =>
      html({ name: 'ratings', title: 'ELO ratings', body: RATINGS_BODY }, request),
    )
    .get('/dashboard/models', ({ request }) =>
      html({ name: 'models', title: 'Model accuracy', body: MODELS_BODY }, request),
    );
}
