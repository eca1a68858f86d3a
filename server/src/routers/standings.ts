/** `standings.drivers`, `standings.constructors` → `{ season, round, rows }` from the standings views. */
import { constructorStandings, driverStandings } from '@f1/db/standings/standings';
import { toDriverRef } from '../mappers/entities.ts';
import { ConstructorStandings, DriverStandings, StandingsInput } from '../schemas/standings.ts';
import type { Services } from '../services.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';

interface Input {
  season: number;
  round?: number;
}

interface StandingRowIn {
  round: number;
  position: number;
  points: number;
  wins: number;
}

/** Reads one kind of standings through the cache; NOT_FOUND when the season/round has none. */
function standings<Row extends StandingRowIn, Item>(
  name: 'standings.drivers' | 'standings.constructors',
  ctx: { services: Services; resHeaders: Headers | null },
  input: Input,
  read: { rows: () => Promise<Row[]>; item: (row: Row) => Item },
) {
  const spec = {
    key: cacheKey(name, { ...input }),
    tags: [`standings:${input.season}`] as const,
    ttl: TTL.standings,
  };
  return cached(ctx, spec, async () => {
    const rows = await read.rows();
    const first = rows[0];
    if (!first) {
      const after = input.round === undefined ? '' : ` after round ${input.round}`;
      throw notFound(`standings for season ${input.season}${after}`);
    }
    const items = rows.map((row) => ({
      position: row.position,
      points: row.points,
      wins: row.wins,
      ...read.item(row),
    }));
    return { season: input.season, round: first.round, rows: items };
  });
}

const meta = (path: string, summary: string) => ({
  cache: EDGE.standings,
  openapi: {
    method: 'GET' as const,
    path: `/seasons/{season}/standings/${path}` as const,
    tags: ['standings'],
    summary,
  },
});

export const standingsRouter = router({
  drivers: publicProcedure
    .meta(meta('drivers', "Drivers' championship after a round (default: the last with results)"))
    .input(StandingsInput)
    .output(DriverStandings)
    .query(({ ctx, input }) =>
      standings('standings.drivers', ctx, input, {
        rows: () => driverStandings(ctx.services.db, input),
        item: (row) => ({ driver: toDriverRef(row) }),
      }),
    ),

  constructors: publicProcedure
    .meta(
      meta(
        'constructors',
        "Constructors' championship after a round (default: the last with results)",
      ),
    )
    .input(StandingsInput)
    .output(ConstructorStandings)
    .query(({ ctx, input }) =>
      standings('standings.constructors', ctx, input, {
        rows: () => constructorStandings(ctx.services.db, input),
        item: (row) => ({ team: { teamId: row.team_ref, name: row.name } }),
      }),
    ),
});
