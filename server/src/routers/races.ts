/**
 * `races.*`: the calendar, one race, the next and the last race, and a race's results, qualifying,
 * sprint, weather, lap timings (paged) and pit stops. By-race answers depend on `race:<season>:<round>` (dropped when that round is
 * re-ingested) and `schedule:<season>` (dropped by a season-wide change).
 */

import type { CacheTag } from '@f1/core/changes/invalidation';
import { NO_POSITION, raceLaps, raceLapTotal, racePitStops } from '@f1/db/races/laps';
import {
  getRace,
  lastRace,
  nextRace,
  type RaceRow,
  raceSessions,
  seasonRaces,
} from '@f1/db/races/races';
import {
  qualifyingResults,
  type RaceHeaderRow,
  type RaceRef,
  raceHeader,
  raceResults,
  sprintResults,
} from '@f1/db/races/results';
import { raceWeather } from '@f1/db/races/weather';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  toLapTiming,
  toPitStop,
  toQualifyingResult,
  toRace,
  toRaceHeader,
  toRaceResult,
  toSprintResult,
  toWeather,
} from '../mappers/races.ts';
import {
  LAPS_PAGE,
  QualifyingResults,
  Race,
  RaceInput,
  RaceLaps,
  RaceLapsInput,
  RacePitStops,
  RaceResults,
  RaceWeather,
  SeasonInput,
  SprintResults,
} from '../schemas/races.ts';
import { pgInteger } from '../schemas/row-id.ts';
import { text } from '../schemas/text.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';
import { decodeCursor, toPage } from './paging.ts';

/** A timing's place in `races.laps`: lap, position (unknown last), driver. */
const LapKey = z.tuple([pgInteger(), pgInteger(), text()]);

async function withSessions(db: Kysely<DB>, rows: RaceRow[]): Promise<Race[]> {
  const sessions = await raceSessions(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toRace(
      row,
      sessions.filter((session) => session.race_id === row.id),
    ),
  );
}

const raceTags = ({ season, round }: RaceRef): CacheTag[] => [
  `race:${season}:${round}`,
  `schedule:${season}`,
];
const raceName = ({ season, round }: RaceRef) => `race ${season} round ${round}`;

/** Rows of one race; an empty answer for a known race, NOT_FOUND for an unknown one. */
async function byRace<Row extends RaceHeaderRow, Item>(
  db: Kysely<DB>,
  race: RaceRef,
  rows: Row[],
  map: (row: Row) => Item,
) {
  const header = rows[0] ?? (await raceHeader(db, race));
  if (!header) throw notFound(raceName(race));
  return { ...toRaceHeader(header), rows: rows.map(map) };
}

/** Seconds until `race` starts (its day's end when no time is known), at least 1. */
function secondsUntilStart(race: Race | null): number {
  if (!race) return TTL.calendar;
  const start = race.startsAt?.getTime() ?? Date.parse(`${race.date}T23:59:59Z`);
  return Math.max(1, Math.min(TTL.calendar, Math.floor((start - Date.now()) / 1000)));
}

export const racesRouter = router({
  calendar: publicProcedure
    .meta({
      cache: EDGE.calendar,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races',
        tags: ['races'],
        summary: "A season's races with their session times (UTC)",
      },
    })
    .input(SeasonInput)
    .output(z.array(Race))
    .query(({ ctx, input }) =>
      cached(
        ctx,
        {
          key: cacheKey('races.calendar', input),
          tags: [`season:${input.season}`],
          ttl: TTL.calendar,
        },
        async () => withSessions(ctx.services.db, await seasonRaces(ctx.services.db, input.season)),
      ),
    ),

  get: publicProcedure
    .meta({
      cache: EDGE.calendar,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}',
        tags: ['races'],
        summary: 'One race with its sessions',
      },
    })
    .input(RaceInput)
    .output(Race)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.get', input), tags: [`season:${input.season}`], ttl: TTL.calendar },
        async () => {
          const row = await getRace(ctx.services.db, input);
          if (!row) throw notFound(raceName(input));
          const [race] = await withSessions(ctx.services.db, [row]);
          if (!race) throw notFound(raceName(input));
          return race;
        },
      ),
    ),

  next: publicProcedure
    .meta({
      cache: EDGE.live,
      openapi: {
        method: 'GET',
        path: '/races/next',
        tags: ['races'],
        summary: 'The next race that has not started (null when none is scheduled)',
      },
    })
    .output(Race.nullable())
    .query(({ ctx }) =>
      cached(ctx, { key: 'races.next', tags: ['races'], ttl: secondsUntilStart }, async () => {
        const row = await nextRace(ctx.services.db, new Date());
        return row ? ((await withSessions(ctx.services.db, [row]))[0] ?? null) : null;
      }),
    ),

  last: publicProcedure
    .meta({
      cache: EDGE.live,
      openapi: {
        method: 'GET',
        path: '/races/last',
        tags: ['races'],
        summary: 'The latest race with results',
      },
    })
    .output(Race.nullable())
    .query(({ ctx }) =>
      cached(ctx, { key: 'races.last', tags: ['races'], ttl: TTL.last }, async () => {
        const row = await lastRace(ctx.services.db);
        return row ? ((await withSessions(ctx.services.db, [row]))[0] ?? null) : null;
      }),
    ),

  results: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/results',
        tags: ['races'],
        summary: "A race's classification",
      },
    })
    .input(RaceInput)
    .output(RaceResults)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.results', input), tags: raceTags(input), ttl: TTL.results },
        async () =>
          byRace(ctx.services.db, input, await raceResults(ctx.services.db, input), toRaceResult),
      ),
    ),

  qualifying: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/qualifying',
        tags: ['races'],
        summary: "A race's qualifying results",
      },
    })
    .input(RaceInput)
    .output(QualifyingResults)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.qualifying', input), tags: raceTags(input), ttl: TTL.results },
        async () =>
          byRace(
            ctx.services.db,
            input,
            await qualifyingResults(ctx.services.db, input),
            toQualifyingResult,
          ),
      ),
    ),

  sprint: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/sprint',
        tags: ['races'],
        summary: "A race weekend's sprint results (empty without a sprint)",
      },
    })
    .input(RaceInput)
    .output(SprintResults)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.sprint', input), tags: raceTags(input), ttl: TTL.results },
        async () =>
          byRace(
            ctx.services.db,
            input,
            await sprintResults(ctx.services.db, input),
            toSprintResult,
          ),
      ),
    ),

  weather: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/weather',
        tags: ['races'],
        summary: 'Weather observations for a race',
      },
    })
    .input(RaceInput)
    .output(RaceWeather)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.weather', input), tags: raceTags(input), ttl: TTL.results },
        async () => {
          const header = await raceHeader(ctx.services.db, input);
          if (!header) throw notFound(raceName(input));
          const rows = await raceWeather(ctx.services.db, input);
          return { ...toRaceHeader(header), observations: rows.map(toWeather) };
        },
      ),
    ),

  laps: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/laps',
        tags: ['races'],
        summary: "A race's lap timings by lap and position (paged; filter by driver or lap)",
      },
    })
    .input(RaceLapsInput)
    .output(RaceLaps)
    .query(({ ctx, input }) => {
      const { season, round, driverId, lap, cursor } = input;
      const limit = input.limit ?? LAPS_PAGE.fallback;
      const after = cursor ? decodeCursor('races.laps', cursor, LapKey) : undefined;
      const key = cacheKey('races.laps', { season, round, driverId, lap, limit, cursor });
      return cached(ctx, { key, tags: raceTags(input), ttl: TTL.results }, async () => {
        const { db } = ctx.services;
        const filter = { driverRef: driverId, lap };
        const header = await raceLapTotal(db, input, filter);
        if (!header) throw notFound(raceName(input));
        const rows = await raceLaps(db, input, {
          ...filter,
          limit: limit + 1,
          after: after && { lap: after[0], position: after[1], driverRef: after[2] },
        });
        const page = toPage(rows, {
          limit,
          list: 'races.laps',
          key: (row) => [row.lap, row.position ?? NO_POSITION, row.driver_ref],
          map: toLapTiming,
        });
        return { ...toRaceHeader(header), total: header.total, ...page };
      });
    }),

  pitStops: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/pit-stops',
        tags: ['races'],
        summary: "A race's pit stops in the order they happened",
      },
    })
    .input(RaceInput)
    .output(RacePitStops)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('races.pitStops', input), tags: raceTags(input), ttl: TTL.results },
        async () =>
          byRace(ctx.services.db, input, await racePitStops(ctx.services.db, input), toPitStop),
      ),
    ),
});
