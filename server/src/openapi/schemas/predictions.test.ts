import { describe, expect, expectTypeOf, test } from 'bun:test';
import type { inferRouterOutputs } from '@trpc/server';
import type { z } from 'zod';
import type { AppRouter } from '../../trpc/router.ts';
import {
  type BulkSubmissionResult,
  ModelList,
  type RacePredictions,
  type SubmittedPredictionSet,
} from './predictions.ts';

type Out = inferRouterOutputs<AppRouter>['predictions'];

describe('documented prediction outputs', () => {
  test('have exactly the types the procedures return (checked by tsc)', () => {
    expectTypeOf<z.output<typeof SubmittedPredictionSet>>().toEqualTypeOf<Out['submit']>();
    expectTypeOf<z.output<typeof BulkSubmissionResult>>().toEqualTypeOf<Out['submitBulk']>();
    expectTypeOf<z.output<typeof RacePredictions>>().toEqualTypeOf<Out['list']>();
    expectTypeOf<z.output<typeof ModelList>>().toEqualTypeOf<Out['models']>();
    expect(ModelList.safeParse([]).success).toBe(true);
  });
});
