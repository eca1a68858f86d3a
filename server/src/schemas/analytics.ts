/**
 * Output schemas of `accuracy.*` and `ratings.*` (`.output()` of each procedure: validated answers, and
 * the components the OpenAPI document names). analytics.test.ts checks, at compile time, that each
 * one's type equals what the query behind the procedure returns, so the SDK's types stay the same.
 */
import { z } from 'zod';
import { PredictionStage as Stage } from './predictions.ts';

const CalibrationBin = z
  .object({
    event: z.enum(['win', 'podium']),
    bin: z
      .number()
      .describe('lower edge of the predicted-probability bin, e.g. 0.1 for [0.1, 0.2)'),
    predicted: z.number(),
    observed: z.number(),
    count: z.number().int(),
  })
  .meta({ id: 'CalibrationBin' });

const Metrics = {
  podiumOverlap: z.number(),
  top10Overlap: z.number(),
  meanAbsPositionError: z.number(),
  spearmanRho: z.number().nullable(),
  brierWin: z.number().nullable(),
  brierPodium: z.number().nullable(),
  logLossWin: z.number().nullable(),
};

const RaceAccuracy = z
  .object({
    model: z.string(),
    version: z.string(),
    stage: Stage,
    backtest: z.boolean(),
    entries: z.number().int(),
    winnerHit: z.boolean(),
    ...Metrics,
    calibration: z.array(CalibrationBin),
    computedAt: z.date(),
  })
  .meta({ id: 'RaceAccuracy' });

export const RaceAccuracyReport = z
  .object({
    race: z.object({ season: z.number().int(), round: z.number().int(), name: z.string() }),
    baseline: RaceAccuracy.nullable().describe(
      'the grid-position baseline (null without grid data)',
    ),
    models: z.array(RaceAccuracy),
  })
  .meta({ id: 'RaceAccuracyReport' });

const AggregateMetrics = z
  .object({
    races: z.number().int().describe('races scored (the sample size)'),
    winnerHitRate: z.number(),
    ...Metrics,
    calibration: z
      .array(CalibrationBin)
      .describe("the races' calibration bins pooled (count-weighted means per event and bin)"),
  })
  .meta({ id: 'AggregateAccuracy' });

export const Leaderboard = z.array(
  z
    .object({
      rank: z.number().int(),
      model: z.string(),
      version: z.string(),
      stage: Stage,
      backtest: z.boolean(),
      ...AggregateMetrics.shape,
      baseline: AggregateMetrics.describe('the grid baseline over exactly the same races'),
    })
    .meta({ id: 'LeaderboardEntry' }),
);

export const RatingsAsOf = z
  .object({
    season: z.number().int(),
    round: z.number().int(),
    ratings: z.array(
      z
        .object({
          rank: z.number().int(),
          id: z.string().describe('public id (max_verstappen, red_bull)'),
          name: z.string(),
          rating: z.number(),
          change: z.number().describe('change at the target race (0 when absent from it)'),
          races: z.number().int().describe('races rated this season up to the target race'),
        })
        .meta({ id: 'RatingStanding' }),
    ),
  })
  .meta({ id: 'RatingsAsOf' });

export const RatingHistory = z
  .object({
    id: z.string(),
    name: z.string(),
    rating: z.number(),
    history: z.array(
      z
        .object({
          season: z.number().int(),
          round: z.number().int(),
          raceName: z.string(),
          date: z.string(),
          ratingBefore: z.number(),
          ratingAfter: z.number(),
          position: z.number().int().nullable().describe('best classified position; null if none'),
        })
        .meta({ id: 'RatingHistoryEntry' }),
    ),
  })
  .meta({ id: 'RatingHistory' });

export const AccuracyTimeline = z
  .object({
    season: z.number().int(),
    rounds: z
      .array(z.object({ round: z.number().int(), name: z.string() }))
      .describe('scored races (those with a grid-baseline row), in order'),
    series: z.array(
      z
        .object({
          model: z.string().describe('`grid-baseline` is the grid-position baseline'),
          version: z.string(),
          stage: Stage,
          backtest: z.boolean(),
          brierWin: z
            .array(z.number().nullable())
            .describe('per round of `rounds`; null: unscored'),
          logLossWin: z.array(z.number().nullable()),
        })
        .meta({ id: 'AccuracyTimelineSeries' }),
    ),
  })
  .meta({ id: 'AccuracyTimeline' });
