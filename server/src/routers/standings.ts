/**
 * `standings.drivers`, `standings.constructors` → `{ season, round, rows }` from the stored standings
 * (the rules engine's tables). Constructors before 1958 are NOT_FOUND: there was no such championship.
 */
import {
  constructorProgression,
  driverProgression,
  roundsWithStandings,
} from '@f1/db/standings/progression';
import { constructorStandings, driverStandings } from '@f1/db/standings/standings';
import { seasonRules } from '@f1/domain/standings/rules';
import { TRPCError } from '@trpc/server';
import { toDriverRef } from '../mappers/entities.ts';
import { progressionSeries } from '../mappers/progression.ts';
import { SeasonInput } from '../schemas/races.ts';
import {
  ConstructorStandings,
  DriverStandings,
  StandingsInput,
  StandingsProgression,
} from '../schemas/standings.ts';
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
  position_text: string;
  points: number;
  gross_points: number;
  dropped_points: number;
  dropped_rounds: number[];
  adjustment_points: number;
  wins: number;
  tied: boolean;
}

/** The numbers every standings row has, as the API names them. */
function standingNumbers(row: StandingRowIn) {
  return {
    position: row.position,
    positionText: row.position_text,
    points: row.points,
    pointsScored: row.gross_points,
    droppedPoints: row.dropped_points,
    droppedRounds: row.dropped_rounds,
    adjustmentPoints: row.adjustment_points,
    wins: row.wins,
    tied: row.tied,
  };
}

/** NOT_FOUND for a season without a constructors' championship (before 1958). */
function noConstructorsChampionship(season: number): TRPCError | null {
  if (seasonRules(season).constructors !== null) return null;
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `constructors' standings for season ${season} not found: there was no constructors' championship before 1958`,
  });
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
    const items = rows.map((row) => ({ ...standingNumbers(row), ...read.item(row) }));
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
    .query(({ ctx, input }) => {
      const none = noConstructorsChampionship(input.season);
      if (none) throw none;
      return standings('standings.constructors', ctx, input, {
        rows: () => constructorStandings(ctx.services.db, input),
        item: (row) => ({ team: { teamId: row.team_ref, name: row.name } }),
      });
    }),

  /** Every round's standings of a season, one series per competitor (for charts). */
  progression: publicProcedure
    .meta(
      meta(
        'progression',
        'Both championships after every round of a season, one series per competitor',
      ),
    )
    .input(SeasonInput)
    .output(StandingsProgression)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        {
          key: cacheKey('standings.progression', input),
          tags: [`standings:${input.season}`],
          ttl: TTL.standings,
        },
        async () => {
          const db = ctx.services.db;
          const rounds = await roundsWithStandings(db, input.season);
          if (rounds.length === 0) throw notFound(`standings for season ${input.season}`);
          const constructors =
            seasonRules(input.season).constructors === null
              ? []
              : await constructorProgression(db, input.season);
          return {
            season: input.season,
            rounds,
            drivers: progressionSeries(rounds, await driverProgression(db, input.season)),
            constructors: progressionSeries(rounds, constructors),
          };
        },
      ),
    ),
});
