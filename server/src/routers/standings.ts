/** `standings.drivers`, `standings.constructors` → `{ season, round, rows }` from the standings views. */
import { constructorStandings, driverStandings } from '@f1/db/queries/standings';
import { toDriverRef } from '../mappers/entities.ts';
import { ConstructorStandings, DriverStandings, StandingsInput } from '../schemas/standings.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';

const what = ({ season, round }: { season: number; round?: number }) =>
  round === undefined
    ? `standings for season ${season}`
    : `standings for season ${season} after round ${round}`;

export const standingsRouter = router({
  drivers: publicProcedure
    .meta({
      cache: EDGE.standings,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/standings/drivers',
        tags: ['standings'],
        summary: "Drivers' championship after a round (default: the last with results)",
      },
    })
    .input(StandingsInput)
    .output(DriverStandings)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        {
          key: cacheKey('standings.drivers', input),
          tags: [`standings:${input.season}`],
          ttl: TTL.standings,
        },
        async () => {
          const rows = await driverStandings(ctx.services.db, input);
          const first = rows[0];
          if (!first) throw notFound(what(input));
          return {
            season: input.season,
            round: first.round,
            rows: rows.map((row) => ({
              position: row.position,
              points: row.points,
              wins: row.wins,
              driver: toDriverRef(row),
            })),
          };
        },
      ),
    ),

  constructors: publicProcedure
    .meta({
      cache: EDGE.standings,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/standings/constructors',
        tags: ['standings'],
        summary: "Constructors' championship after a round (default: the last with results)",
      },
    })
    .input(StandingsInput)
    .output(ConstructorStandings)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        {
          key: cacheKey('standings.constructors', input),
          tags: [`standings:${input.season}`],
          ttl: TTL.standings,
        },
        async () => {
          const rows = await constructorStandings(ctx.services.db, input);
          const first = rows[0];
          if (!first) throw notFound(what(input));
          return {
            season: input.season,
            round: first.round,
            rows: rows.map((row) => ({
              position: row.position,
              points: row.points,
              wins: row.wins,
              team: { teamId: row.team_ref, name: row.name },
            })),
          };
        },
      ),
    ),
});
