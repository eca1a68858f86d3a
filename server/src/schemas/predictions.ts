/**
 * Output schemas of `predictions.*` (`.output()` of each procedure: validated answers, and the
 * components the OpenAPI document names). predictions.test.ts checks, at compile time, that each one's
 * type equals what the query or service behind the procedure returns, so the SDK's types stay the same.
 */
import { z } from 'zod';

/** One instance, so the document has one `PredictionStage` component. */
export const PredictionStage = z
  .enum(['pre_qualifying', 'post_qualifying'])
  .meta({ id: 'PredictionStage' });
const Stage = PredictionStage;

export const SubmittedPredictionSet = z
  .object({
    setId: z.number().int(),
    raceId: z.number().int(),
    season: z.number().int(),
    round: z.number().int(),
    model: z.string(),
    version: z.string(),
    stage: Stage,
    backtest: z.boolean(),
    entryCount: z.number().int(),
    snapshotHash: z.string().describe('hash of the submitted entries'),
    submittedAt: z.date(),
    status: z
      .enum(['created', 'replaced', 'unchanged'])
      .describe('unchanged: an identical set (or a repeated idempotency key) was already stored'),
    replacedSetId: z.number().int().nullable().describe('the live set this one superseded'),
  })
  .meta({ id: 'SubmittedPredictionSet' });

export const BulkSubmissionResult = z
  .object({
    created: z.number().int(),
    replaced: z.number().int(),
    unchanged: z.number().int(),
    sets: z.array(SubmittedPredictionSet).describe('one per submitted set, in order'),
  })
  .meta({ id: 'BulkSubmissionResult' });

export const PredictionEntry = z
  .object({
    driverId: z.string(),
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
      season: z.number().int(),
      round: z.number().int(),
      name: z.string(),
      startsAt: z.date().nullable(),
      frozenAt: z.date().describe('live predictions are refused from this time on'),
    }),
    sets: z.array(PredictionSet),
  })
  .meta({ id: 'RacePredictions' });

export const ModelSummary = z
  .object({
    model: z.string(),
    builtIn: z.boolean().describe('computed by the system (elo-baseline)'),
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

export const ModelList = z.array(ModelSummary);
