/** `drivers.list`, `drivers.get`, `drivers.results`: thin — parse, read through the cache, map. */
import { getDriver, listDrivers } from '@f1/db/entities/drivers';
import { driverResults } from '@f1/db/races/results';
import { z } from 'zod';
import { toDriver, toTeamRef } from '../mappers/entities.ts';
import { toFastestLap, toFinish, toRaceHeader } from '../mappers/races.ts';
import {
  DRIVER_RESULTS_PAGE,
  DRIVERS_PAGE,
  Driver,
  DriverIdInput,
  DriverPage,
  DriverResultPage,
  DriverResultsInput,
  DriversListInput,
} from '../schemas/drivers.ts';
import { pgInteger } from '../schemas/row-id.ts';
import { text } from '../schemas/text.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';
import { decodeCursor, toPage } from './paging.ts';

const DriverKey = z.tuple([text(), text(), text()]);
const ResultKey = z.tuple([pgInteger(), pgInteger(), pgInteger()]);

export const driversRouter = router({
  list: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: {
        method: 'GET',
        path: '/drivers',
        tags: ['drivers'],
        summary: 'Drivers, by name (paged; filter by season or search)',
      },
    })
    .input(DriversListInput)
    .output(DriverPage)
    .query(({ ctx, input }) => {
      const { season, search, cursor } = input ?? {};
      const limit = input?.limit ?? DRIVERS_PAGE.fallback;
      const after = cursor ? decodeCursor('drivers.list', cursor, DriverKey) : undefined;
      const key = cacheKey('drivers.list', { season, search, limit, cursor });
      return cached(ctx, { key, tags: ['drivers'], ttl: TTL.reference }, async () => {
        const rows = await listDrivers(ctx.services.db, {
          season,
          search,
          limit: limit + 1,
          after: after && { familyName: after[0], givenName: after[1], driverRef: after[2] },
        });
        return toPage(rows, {
          limit,
          list: 'drivers.list',
          key: (row) => [row.family_name, row.given_name, row.driver_ref],
          map: toDriver,
        });
      });
    }),

  get: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: {
        method: 'GET',
        path: '/drivers/{driverId}',
        tags: ['drivers'],
        summary: 'One driver',
      },
    })
    .input(DriverIdInput)
    .output(Driver)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('drivers.get', input), tags: ['drivers'], ttl: TTL.reference },
        async () => {
          const row = await getDriver(ctx.services.db, input.driverId);
          if (!row) throw notFound(`driver "${input.driverId}"`);
          return toDriver(row);
        },
      ),
    ),

  results: publicProcedure
    .meta({
      cache: EDGE.results,
      openapi: {
        method: 'GET',
        path: '/drivers/{driverId}/results',
        tags: ['drivers'],
        summary: "A driver's race results, by season and round (paged)",
      },
    })
    .input(DriverResultsInput)
    .output(DriverResultPage)
    .query(({ ctx, input }) => {
      const { driverId, season, cursor } = input;
      const limit = input.limit ?? DRIVER_RESULTS_PAGE.fallback;
      const after = cursor ? decodeCursor('drivers.results', cursor, ResultKey) : undefined;
      const key = cacheKey('drivers.results', { driverId, season, limit, cursor });
      return cached(ctx, { key, tags: ['drivers'], ttl: TTL.results }, async () => {
        const rows = await driverResults(ctx.services.db, {
          driverRef: driverId,
          season,
          limit: limit + 1,
          after: after && { season: after[0], round: after[1], entry: after[2] },
        });
        if (rows.length === 0 && !(await getDriver(ctx.services.db, driverId)))
          throw notFound(`driver "${driverId}"`);
        return toPage(rows, {
          limit,
          list: 'drivers.results',
          key: (row) => [row.season, row.round, row.entry],
          map: (row) => ({
            ...toRaceHeader(row),
            circuitId: row.circuit_ref,
            team: toTeamRef(row),
            ...toFinish(row),
            fastestLap: toFastestLap(row),
          }),
        });
      });
    }),
});
