/**
 * `predictions.*`: ML services submit (one race, or many at once for backfills); anyone reads a race's
 * predictions and the list of models. Thin: parse, call the service or query, map domain errors.
 */

import { EVENT_ID } from '@f1/core/changes/prediction-updates';
import { listModels, listPredictions } from '@f1/db/predictions/predictions';
import { submitPredictions } from '@f1/domain/predictions/submit';
import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import {
  BulkSubmissionResult,
  ModelList,
  RacePredictions,
  SubmittedPredictionSet,
} from '../schemas/predictions.ts';
import { text } from '../schemas/text.ts';
import { submitterOf } from '../trpc/context.ts';
import { publicProcedure, router, serviceProcedure } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { mapPredictionErrors } from './prediction-errors.ts';
import { bulkSubmission, listInput, predictionSet, round, season } from './prediction-inputs.ts';

/** Submission is sized for ML batch traffic: 50× the default rate limit per principal. */
const submission = serviceProcedure.meta({ rateLimit: 'mlBatch' });
/** Backfills: the one procedure whose body may reach the bulk limit (32 MiB, http/body-limit.ts). */
const bulkSubmissionProcedure = submission.meta({ bodyLimit: 'bulk' });
/** Prediction submission can also fail on a race that does not exist, a reused key, a frozen race. */
const SUBMISSION_ERRORS = [404, 409, 412];
const RACE = '/seasons/{season}/races/{round}';

export const predictionsRouter = router({
  /** Submit one race's predictions (role ml_service). Idempotent; frozen at the race's start unless backtest. */
  submit: submission
    .meta({
      openapi: {
        method: 'POST',
        path: '/predictions',
        tags: ['predictions'],
        summary: "Submit a model's predictions for one race",
        description:
          'For ML services (role `ml_service`, usually with an API key). Idempotent: an identical set, or a ' +
          'repeated `idempotencyKey`, answers `unchanged`. Live predictions are refused once the race is ' +
          'frozen (its start); `backtest: true` submits a retrospective set kept apart from live ones.',
        errorResponses: SUBMISSION_ERRORS,
      },
    })
    .input(predictionSet)
    .output(SubmittedPredictionSet)
    .mutation(async ({ ctx, input }) => {
      const [result] = await mapPredictionErrors(() =>
        submitPredictions(ctx.services, { submittedBy: submitterOf(ctx.principal), sets: [input] }),
      );
      if (!result) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'no result' });
      return result;
    }),

  /** Submit many races at once (backfills): all or nothing, one result per set in order. */
  submitBulk: bulkSubmissionProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/predictions/bulk',
        tags: ['predictions'],
        summary: 'Submit predictions for many races at once',
        description: 'All or nothing (backfills): one result per set, in order.',
        errorResponses: SUBMISSION_ERRORS,
      },
    })
    .input(bulkSubmission)
    .output(BulkSubmissionResult)
    .mutation(async ({ ctx, input }) => {
      const results = await mapPredictionErrors(() =>
        submitPredictions(ctx.services, {
          submittedBy: submitterOf(ctx.principal),
          sets: input.sets,
          path: ['sets'],
        }),
      );
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return {
        created: count('created'),
        replaced: count('replaced'),
        unchanged: count('unchanged'),
        sets: results,
      };
    }),

  /** A race's current predictions (live by default; `backtest: true` for backtests; `history` adds superseded sets). */
  list: publicProcedure
    .meta({
      cache: EDGE.live,
      openapi: {
        method: 'GET',
        path: `${RACE}/predictions`,
        tags: ['predictions'],
        summary: "A race's predictions",
        description:
          'Current live sets by default; `backtest=true` for backtest sets; `history=true` adds superseded sets.',
      },
    })
    .input(listInput)
    .output(RacePredictions)
    .query(async ({ ctx, input }) => {
      const found = await cached(
        ctx,
        {
          key: cacheKey('predictions.list', input),
          tags: [`predictions:${input.season}:${input.round}`],
          // A miss (no such race yet) is not kept: the race may be ingested any minute.
          ttl: (found) => (found ? TTL.predictions : 0),
        },
        () => listPredictions(ctx.services.db, input),
      );
      if (!found) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `no race ${input.season} round ${input.round}`,
        });
      }
      return found;
    }),

  /** Every model with predictions, its versions and coverage. */
  models: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/models',
        tags: ['predictions'],
        summary: 'Models with predictions',
        description: 'Every model, its versions and how many races each covers.',
      },
    })
    .output(ModelList)
    .query(({ ctx }) => listModels(ctx.services.db)),

  /**
   * Server-sent events: one event each time the race's predictions or accuracy change, from any server
   * process (Redis pub/sub). Events say what changed; refetch `list` / `accuracy.byRace` for the data.
   */
  /**
   * SSE: an event each time the race's predictions or accuracy change. Each carries an id; tRPC's
   * client reconnects with the last one as `lastEventId`, and is first sent what it missed.
   */
  onUpdate: publicProcedure
    .input(
      z.object({
        season,
        round,
        lastEventId: text()
          .regex(EVENT_ID, 'must be an event id from this stream, e.g. 1717245600000-0')
          .nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const events = ctx.services.predictionUpdates.stream(
        input,
        input.lastEventId ?? null,
        signal,
      );
      for await (const { id, update } of events) yield tracked(id, update);
    }),
});
