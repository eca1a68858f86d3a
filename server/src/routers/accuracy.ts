/** `accuracy.*`: how well each model predicted, per race and ranked, always next to the grid baseline. */
import { accuracyByRace, accuracyLeaderboard, RANK_METRICS } from '@f1/db/accuracy/accuracy';
import { accuracyTimeline, calendarRounds } from '@f1/db/accuracy/timeline';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AccuracyTimeline, Leaderboard, RaceAccuracyReport } from '../schemas/analytics.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { modelName, round, season, stage } from './prediction-inputs.ts';

export const accuracyRouter = router({
  /** Accuracy of each model's current prediction for one race, with the grid baseline. */
  byRace: publicProcedure
    .meta({
      cache: EDGE.live,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/races/{round}/accuracy',
        tags: ['accuracy'],
        summary: 'How well each model predicted a race',
        description:
          "Each model's current set scored against the result, next to the grid-position baseline; " +
          '`backtest=true` for backtest sets.',
      },
    })
    .input(
      z.object({
        season,
        round,
        model: modelName.optional(),
        /** Backtest rows instead of live ones. */
        backtest: z.boolean().default(false),
      }),
    )
    .output(RaceAccuracyReport)
    .query(async ({ ctx, input }) => {
      // Accuracy changes with the race's predictions and results: both invalidate this tag.
      const found = await cached(
        ctx,
        {
          key: cacheKey('accuracy.byRace', input),
          tags: [`predictions:${input.season}:${input.round}`],
          // A miss (no such race yet) is not kept: the race may be ingested any minute.
          ttl: (found) => (found ? TTL.predictions : 0),
        },
        () => accuracyByRace(ctx.services.db, input),
      );
      if (!found) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `no race ${input.season} round ${input.round}`,
        });
      }
      return found;
    }),

  /**
   * Models ranked over a season (or the last N races: a rolling window), with sample sizes and the
   * grid baseline over the same races.
   */
  leaderboard: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/accuracy/leaderboard',
        tags: ['accuracy'],
        summary: 'Models ranked by accuracy',
        description:
          'Over a `season`, or the last `lastRaces` races (rolling), ranked by `rankBy` (default ' +
          '`brierWin`), with sample sizes and the grid baseline over the same races.',
      },
    })
    .input(
      z
        .strictObject({
          season: season.optional(),
          lastRaces: z.number().int().min(1).max(500).optional(),
          backtest: z.boolean().default(false),
          stage: stage.optional(),
          rankBy: z.enum(RANK_METRICS).default('brierWin'),
        })
        .default({ backtest: false, rankBy: 'brierWin' }),
    )
    .output(Leaderboard)
    .query(({ ctx, input }) => accuracyLeaderboard(ctx.services.db, input)),

  /** Win Brier and log loss race by race through a season, per model and for the grid baseline. */
  timeline: publicProcedure
    .meta({
      cache: EDGE.live,
      openapi: {
        method: 'GET',
        path: '/seasons/{season}/accuracy/timeline',
        tags: ['accuracy'],
        summary: 'Accuracy race by race through a season',
        description:
          "Each model's win Brier score and log loss per scored race, with the grid baseline as " +
          'the `grid-baseline` series; `backtest=true` for backtest sets.',
        errorResponses: [404],
      },
    })
    .input(z.strictObject({ season, backtest: z.boolean().default(false) }))
    .output(AccuracyTimeline)
    .query(async ({ ctx, input }) => {
      const rounds = await calendarRounds(ctx.services.db, input.season);
      if (rounds.length === 0) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `no season ${input.season}` });
      }
      return cached(
        ctx,
        {
          key: cacheKey('accuracy.timeline', input),
          // Scores change with each race's predictions and results: every race's tag.
          tags: rounds.map((r) => `predictions:${input.season}:${r}` as const),
          ttl: TTL.predictions,
        },
        () => accuracyTimeline(ctx.services.db, input),
      );
    }),
});
