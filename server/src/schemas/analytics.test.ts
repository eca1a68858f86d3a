import { describe, expect, expectTypeOf, test } from 'bun:test';
import type { accuracyByRace, accuracyLeaderboard } from '@f1/db/accuracy/accuracy';
import type { ratingHistory, ratingsAsOf } from '@f1/db/ratings/ratings';
import type { z } from 'zod';
import {
  Leaderboard,
  type RaceAccuracyReport,
  type RatingHistory,
  type RatingsAsOf,
} from './analytics.ts';

type Result<F extends (...args: never[]) => unknown> = NonNullable<Awaited<ReturnType<F>>>;

describe('accuracy and ratings output schemas', () => {
  test('have exactly the types the queries return (checked by tsc)', () => {
    expectTypeOf<z.output<typeof RaceAccuracyReport>>().toEqualTypeOf<
      Result<typeof accuracyByRace>
    >();
    expectTypeOf<z.output<typeof Leaderboard>>().toEqualTypeOf<
      Result<typeof accuracyLeaderboard>
    >();
    expectTypeOf<z.output<typeof RatingsAsOf>>().toEqualTypeOf<Result<typeof ratingsAsOf>>();
    expectTypeOf<z.output<typeof RatingHistory>>().toEqualTypeOf<Result<typeof ratingHistory>>();
    expect(Leaderboard.safeParse([]).success).toBe(true);
  });
});
