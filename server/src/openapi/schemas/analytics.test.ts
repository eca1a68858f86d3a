import { describe, expect, expectTypeOf, test } from 'bun:test';
import type { inferRouterOutputs } from '@trpc/server';
import type { z } from 'zod';
import type { AppRouter } from '../../trpc/router.ts';
import {
  Leaderboard,
  type RaceAccuracyReport,
  type RatingHistory,
  type RatingsAsOf,
} from './analytics.ts';

type Out = inferRouterOutputs<AppRouter>;

describe('documented accuracy and ratings outputs', () => {
  test('have exactly the types the procedures return (checked by tsc)', () => {
    expectTypeOf<z.output<typeof RaceAccuracyReport>>().toEqualTypeOf<Out['accuracy']['byRace']>();
    expectTypeOf<z.output<typeof Leaderboard>>().toEqualTypeOf<Out['accuracy']['leaderboard']>();
    expectTypeOf<z.output<typeof RatingsAsOf>>().toEqualTypeOf<Out['ratings']['drivers']>();
    expectTypeOf<z.output<typeof RatingsAsOf>>().toEqualTypeOf<Out['ratings']['teams']>();
    expectTypeOf<z.output<typeof RatingHistory>>().toEqualTypeOf<Out['ratings']['history']>();
    expect(Leaderboard.safeParse([]).success).toBe(true);
  });
});
