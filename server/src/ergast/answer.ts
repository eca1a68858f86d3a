/**
 * One facade request answered: the path parsed (query.ts), `current` / `last` / `next` resolved on our
 * data, the endpoint's handler run, and its table wrapped in the dialect's `MRData` envelope.
 *
 * - `current` is the latest season with races, not after this calendar year.
 * - `last` / `next` follow jolpica (`resolve_relative_filters`): with a round of the season still
 *   without results, `next` is the first such round and `last` the one before it (at least 1); when
 *   every round has results, `last` is the final round and `next` is round 1 of the following season.
 * - `url` is the request's scheme, host and path, lower-cased, without the query (as jolpica prints it).
 *
 * Reads go through `read` (the query cache), tagged so data changes drop them: `season:<s>` for a
 * season's answer (it moves on every change to the season), `races` for the rest.
 */
import type { CacheTag } from '@f1/core/changes/invalidation';
import { currentSeason, seasonProgress } from '@f1/db/ergast/races';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { ENDPOINT_HANDLERS } from './endpoints/index.ts';
import {
  type Endpoint,
  type ErgastPath,
  ErgastPathError,
  parseErgastPaging,
  parseErgastPath,
} from './query.ts';
import type { EndpointHandler, ErgastRequest, TableAnswer } from './types.ts';

/** A cached read: the spec the query cache takes, and the load on a miss. */
export type CachedRead = <T>(
  spec: { key: string; tags: readonly CacheTag[]; ttl: number },
  load: () => Promise<T>,
) => Promise<T>;

export interface AnswerDeps {
  db: Kysely<DB>;
  read: CachedRead;
  handlers?: Partial<Record<Endpoint, EndpointHandler>>;
  /** Today (for `current`); defaults to now. */
  now?: () => Date;
}

export type ErgastAnswer =
  | { status: 200; body: { MRData: Record<string, unknown> } }
  | { status: 400 | 404 | 501; body: { code: string; message: string } };

/** How long an answer may be reused before a data change: data changes invalidate it sooner. */
const TTL_SECONDS = 3600;

type Resolved = { season: number | null; round: number | null } | { notFound: string };

async function resolve(deps: AnswerDeps, path: ErgastPath): Promise<Resolved> {
  let season: number | null = null;
  if (path.season === 'current') {
    const year = (deps.now?.() ?? new Date()).getUTCFullYear();
    season = await deps.read(
      { key: `ergast.current:${year}`, tags: ['races'], ttl: TTL_SECONDS },
      () => currentSeason(deps.db, year),
    );
    season ??= year;
  } else season = path.season;
  if (path.round !== 'last' && path.round !== 'next') return { season, round: path.round };
  if (season === null) return { season, round: null };
  const s = season;
  const progress = await deps.read(
    { key: `ergast.progress:${s}`, tags: ['races'], ttl: TTL_SECONDS },
    () => seasonProgress(deps.db, s),
  );
  if (path.round === 'next') {
    if (progress.next !== null) return { season, round: progress.next };
    return { season: season + 1, round: 1 };
  }
  if (progress.next !== null) return { season, round: Math.max(1, progress.next - 1) };
  if (progress.final !== null) return { season, round: progress.final };
  return { notFound: `season ${season} has no races: no last round` };
}

/** The tags a resolved request's answer depends on. */
export function answerTags(request: Pick<ErgastRequest, 'season'>): CacheTag[] {
  return request.season === null ? ['races'] : [`season:${request.season}`];
}

/**
 * The request's path as the envelope names it, and as the response cache keys it: lower-cased, runs of
 * `/` collapsed, ending in `.json` (`/ERGAST/f1//2023/5/` → `/ergast/f1/2023/5.json`). Spellings of one
 * request are one answer, so they cannot fill the cache with copies.
 */
export function canonicalPath(pathname: string): string {
  const path = pathname
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
  return path.endsWith('.json') ? path : `${path}.json`;
}

/** The envelope URL: scheme, host and the canonical path, no query (as Jolpica prints it). */
export function envelopeUrl(url: URL): string {
  return `${url.origin.toLowerCase()}${canonicalPath(url.pathname)}`;
}

/**
 * Answers `rest` (the path after the prefix) of the request at `url`. Client errors are answers
 * (400 naming the segment, 404, 501 for an endpoint not served yet), never throws.
 */
export async function ergastAnswer(
  deps: AnswerDeps,
  call: { rest: string; url: URL },
): Promise<ErgastAnswer> {
  let path: ErgastPath;
  let paging: ReturnType<typeof parseErgastPaging>;
  try {
    path = parseErgastPath(call.rest);
    paging = parseErgastPaging(call.url.searchParams);
  } catch (error) {
    if (error instanceof ErgastPathError)
      return { status: 400, body: { code: 'BAD_REQUEST', message: error.message } };
    throw error;
  }
  const handler = (deps.handlers ?? ENDPOINT_HANDLERS)[path.endpoint];
  if (!handler)
    return {
      status: 501,
      body: { code: 'NOT_IMPLEMENTED', message: `${path.endpoint}: not served yet` },
    };
  const resolved = await resolve(deps, path);
  if ('notFound' in resolved)
    return { status: 404, body: { code: 'NOT_FOUND', message: resolved.notFound } };
  const request: ErgastRequest = {
    ...resolved,
    ...paging,
    filters: path.filters,
    endpoint: path.endpoint,
  };
  let answer: TableAnswer;
  try {
    answer = await deps.read(
      { key: `ergast:${JSON.stringify(request)}`, tags: answerTags(request), ttl: TTL_SECONDS },
      () => handler(deps.db, request),
    );
  } catch (error) {
    if (error instanceof ErgastPathError)
      return { status: 400, body: { code: 'BAD_REQUEST', message: error.message } };
    throw error;
  }
  return {
    status: 200,
    body: {
      MRData: {
        xmlns: '',
        series: 'f1',
        url: envelopeUrl(call.url),
        limit: String(paging.limit),
        offset: String(paging.offset),
        total: String(answer.total),
        [answer.tableName]: answer.table,
      },
    },
  };
}
