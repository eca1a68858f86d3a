/** `ratings.*`: ELO ratings of drivers and teams, as of any race, and one competitor's history. */
import { ratingHistory, ratingsAsOf } from '@f1/db/ratings/ratings';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { RatingHistory, RatingsAsOf } from '../schemas/analytics.ts';
import { text } from '../schemas/text.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { round, season } from './prediction-inputs.ts';

const asOf = z.object({ season: season.optional(), round: round.optional() }).default({});
/** Ratings change only when results do (recomputation invalidates `ratings`); rankings keep an hour. */
const spec = (name: string, input: Record<string, unknown>) => ({
  key: cacheKey(name, input),
  tags: ['ratings' as const],
  // Nothing rated yet is not kept: the first recomputation may be minutes away.
  ttl: (found: unknown) => (found ? TTL.standings : 0),
});

const notRated = (input: { season?: number }) =>
  new TRPCError({
    code: 'NOT_FOUND',
    message:
      input.season === undefined ? 'no ratings yet' : `no ratings for the ${input.season} season`,
  });

/** REST metadata of a ratings read (each can be a 404: nothing rated yet, or an unknown id). */
const rest = (path: string, summary: string, description: string) => ({
  cache: EDGE.standings,
  openapi: {
    method: 'GET' as const,
    path: `/ratings/${path}` as const,
    tags: ['ratings'],
    summary,
    description,
    errorResponses: [404],
  },
});
const AS_OF = 'As of a race (default: the latest rated race), highest first.';

export const ratingsRouter = router({
  /** Driver ELO ratings as of a race (default: the latest rated race), highest first. */
  drivers: publicProcedure
    .meta(rest('drivers', 'Driver ELO ratings', AS_OF))
    .input(asOf)
    .output(RatingsAsOf)
    .query(async ({ ctx, input }) => {
      const found = await cached(ctx, spec('ratings.drivers', input), () =>
        ratingsAsOf(ctx.services.db, { kind: 'driver', ...input }),
      );
      if (!found) throw notRated(input);
      return found;
    }),

  /** Team (constructor) ELO ratings as of a race, highest first. */
  teams: publicProcedure
    .meta(rest('teams', 'Team ELO ratings', AS_OF))
    .input(asOf)
    .output(RatingsAsOf)
    .query(async ({ ctx, input }) => {
      const found = await cached(ctx, spec('ratings.teams', input), () =>
        ratingsAsOf(ctx.services.db, { kind: 'team', ...input }),
      );
      if (!found) throw notRated(input);
      return found;
    }),

  /** One driver's (or team's) rating before and after every race entered. */
  history: publicProcedure
    .meta(
      rest(
        'history',
        "One driver's or team's rating, race by race",
        'Give exactly one of `driverId` or `teamId`.',
      ),
    )
    .input(
      z
        .object({ driverId: text().min(1).optional(), teamId: text().min(1).optional() })
        .refine((v) => (v.driverId === undefined) !== (v.teamId === undefined), {
          message: 'give exactly one of driverId or teamId',
        }),
    )
    .output(RatingHistory)
    .query(async ({ ctx, input }) => {
      const kind = input.driverId === undefined ? 'team' : 'driver';
      const id = input.driverId ?? input.teamId ?? '';
      const found = await cached(ctx, spec('ratings.history', { kind, id }), () =>
        ratingHistory(ctx.services.db, { kind, id }),
      );
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `no ${kind} '${id}'` });
      return found;
    }),
});
