/**
 * Output schemas of the predictions, accuracy and ratings procedures: they document the REST API
 * (OpenAPI) and check every answer matches what the SDK's types promise.
 */
import { z } from 'zod';
import { IsoDate, PublicId, Round, Season } from './common.ts';

export const Stage = z
  .enum(['pre_qualifying', 'post_qualifying'])
  .describe('made before qualifying, or with the grid known');

export const PredictionEntry = z
  .object({
    driverId: PublicId,
    code: z.string().nullable(),
    givenName: z.string(),
    familyName: z.string(),
    predictedPosition: z.number().int(),
    winProbability: z.number(),
    podiumProbability: z.number(),
    pointsProbability: z.number().nullable(),
    predictedGrid: z.number().int().nullable(),
  })
  .meta({ id: 'PredictionEntry' });

export const PredictionSet = z
  .object({
    setId: z.number().int(),
    model: z.string(),
    version: z.string(),
    stage: Stage,
    backtest: z.boolean(),
    submittedAt: z.date(),
    supersededAt: z.date().nullable().describe('set when a later submission replaced this one'),
    entries: z.array(PredictionEntry),
  })
  .meta({ id: 'PredictionSet' });

export const RacePredictions = z
  .object({
    race: z.object({
      season: Season,
      round: Round,
      name: z.string(),
      startsAt: z.date().nullable(),
      frozenAt: z.date().describe('live submissions close at this time'),
    }),
    sets: z.array(PredictionSet),
  })
  .meta({ id: 'RacePredictions' });

export const ModelSummary = z
  .object({
    model: z.string(),
    builtIn: z.boolean(),
    versions: z.array(
      z.object({
        version: z.string(),
        stages: z.array(Stage),
        liveRaces: z.number().int(),
        backtestRaces: z.number().int(),
        firstSubmittedAt: z.date(),
        lastSubmittedAt: z.date(),
      }),
    ),
  })
  .meta({ id: 'ModelSummary' });

export const SubmittedSet = z
  .object({
    setId: z.number().int(),
    raceId: z.number().int(),
    season: Season,
    round: Round,
    model: z.string(),
    version: z.string(),
    stage: Stage,
    backtest: z.boolean(),
    entryCount: z.number().int(),
    snapshotHash: z.string(),
    submittedAt: z.date(),
    status: z.enum(['created', 'replaced', 'unchanged']),
    replacedSetId: z.number().int().nullable(),
  })
  .meta({ id: 'SubmittedSet' });

export const BulkSubmitted = z
  .object({
    created: z.number().int(),
    replaced: z.number().int(),
    unchanged: z.number().int(),
    sets: z.array(SubmittedSet),
  })
  .meta({ id: 'BulkSubmitted' });

const CalibrationBin = z.object({
  event: z.enum(['win', 'podium']),
  bin: z.number(),
  predicted: z.number(),
  observed: z.number(),
  count: z.number().int(),
});

export const RaceAccuracy = z
  .object({
    model: z.string(),
    version: z.string(),
    stage: Stage,
    backtest: z.boolean(),
    entries: z.number().int(),
    winnerHit: z.boolean(),
    podiumOverlap: z.number().int(),
    top10Overlap: z.number().int(),
    meanAbsPositionError: z.number(),
    spearmanRho: z.number().nullable(),
    brierWin: z.number().nullable(),
    brierPodium: z.number().nullable(),
    logLossWin: z.number().nullable(),
    calibration: z.array(CalibrationBin),
    computedAt: z.date(),
  })
  .meta({ id: 'RaceAccuracy' });

export const RaceAccuracyReport = z
  .object({
    race: z.object({ season: Season, round: Round, name: z.string() }),
    baseline: RaceAccuracy.nullable().describe('the grid-position baseline for this race'),
    models: z.array(RaceAccuracy),
  })
  .meta({ id: 'RaceAccuracyReport' });

const AggregateMetrics = z.object({
  races: z.number().int().describe('sample size'),
  winnerHitRate: z.number(),
  podiumOverlap: z.number(),
  top10Overlap: z.number(),
  meanAbsPositionError: z.number(),
  spearmanRho: z.number().nullable(),
  brierWin: z.number().nullable(),
  brierPodium: z.number().nullable(),
  logLossWin: z.number().nullable(),
});

export const LeaderboardEntry = AggregateMetrics.extend({
  rank: z.number().int(),
  model: z.string(),
  version: z.string(),
  stage: Stage,
  backtest: z.boolean(),
  baseline: AggregateMetrics.describe('the grid baseline over the same races'),
}).meta({ id: 'LeaderboardEntry' });

export const RatingsAsOf = z
  .object({
    season: Season,
    round: Round,
    ratings: z.array(
      z.object({
        rank: z.number().int(),
        id: PublicId,
        name: z.string(),
        rating: z.number(),
        change: z.number().describe('at this race; 0 when absent from it'),
        races: z.number().int().describe('rated this season up to this race'),
      }),
    ),
  })
  .meta({ id: 'RatingsAsOf' });

export const RatingHistory = z
  .object({
    id: PublicId,
    name: z.string(),
    rating: z.number().describe('current rating'),
    history: z.array(
      z.object({
        season: Season,
        round: Round,
        raceName: z.string(),
        date: IsoDate,
        ratingBefore: z.number(),
        ratingAfter: z.number(),
        position: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'RatingHistory' });
