import { describe, expect, expectTypeOf, test } from 'bun:test';
import type { listModels, listPredictions } from '@f1/db/predictions/predictions';
import type { submitPredictions } from '@f1/domain/predictions/submit';
import type { z } from 'zod';
import {
  BulkSubmissionResult,
  ModelList,
  type RacePredictions,
  type SubmittedPredictionSet,
} from './predictions.ts';

type Result<F extends (...args: never[]) => unknown> = NonNullable<Awaited<ReturnType<F>>>;

describe('prediction output schemas', () => {
  test('have exactly the types the service and queries return (checked by tsc)', () => {
    expectTypeOf<z.output<typeof SubmittedPredictionSet>>().toEqualTypeOf<
      Result<typeof submitPredictions>[number]
    >();
    expectTypeOf<z.output<typeof RacePredictions>>().toEqualTypeOf<
      Result<typeof listPredictions>
    >();
    expectTypeOf<z.output<typeof ModelList>>().toEqualTypeOf<Result<typeof listModels>>();
    expect(ModelList.safeParse([]).success).toBe(true);
    expect(
      BulkSubmissionResult.safeParse({ created: 0, replaced: 0, unchanged: 0, sets: [] }).success,
    ).toBe(true);
  });
});
